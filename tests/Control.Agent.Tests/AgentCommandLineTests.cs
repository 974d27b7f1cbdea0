using System.Diagnostics;

namespace Control.Agent.Tests;

/// <summary>The agent binary as a user runs it: exit codes and messages.</summary>
public class AgentCommandLineTests
{
    [Fact]
    public async Task Version_prints_and_exits_zero()
    {
        var (code, output, _) = await Run("version");
        Assert.Equal(0, code);
        Assert.StartsWith("control-agent ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error_with_exit_two()
    {
        var (code, _, errors) = await Run("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("--help", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("enroll", "--token", "t")]
    [InlineData("enroll", "--server", "https://control.example.com")]
    [InlineData("enroll", "--server", "https://control.example.com", "--token", "t", "--token-file", "f")]
    [InlineData("enroll", "--server", "ftp://control.example.com", "--token", "t")]
    [InlineData("enroll", "--server", "https://control.example.com", "--token", "t", "--alias", "kiosk1@acme")]
    [InlineData("status", "--frobnicate")]
    public async Task Bad_arguments_are_a_usage_error_with_exit_two(params string[] args)
    {
        var (code, _, errors) = await Run([.. args, "--state-dir", Path.Combine(Path.GetTempPath(), $"control-agent-usage-{Guid.NewGuid():N}")]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", errors, StringComparison.Ordinal);
        Assert.Contains("--help", errors, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Errors)> Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "control-agent.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
