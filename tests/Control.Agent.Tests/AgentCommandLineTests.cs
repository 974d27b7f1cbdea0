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
