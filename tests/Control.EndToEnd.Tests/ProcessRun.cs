using System.Diagnostics;
using System.Text;

namespace Control.EndToEnd.Tests;

/// <summary>A finished process: what it was asked, what it said, how it ended. Printed whole when a test fails.</summary>
internal sealed record ProcessRun(string CommandLine, string? Input, int ExitCode, string Stdout, string Stderr, TimeSpan Took)
{
    public override string ToString() =>
        $"""
        $ {CommandLine}    (exit {ExitCode}, {Took.TotalSeconds:0.0} s)
        --- stdin ---
        {Input}
        --- stdout ---
        {Stdout}
        --- stderr ---
        {Stderr}
        """;

    /// <summary>Runs to completion within <paramref name="timeout"/>; on timeout the process tree is killed and the test fails with what it printed.</summary>
    public static async Task<ProcessRun> RunAsync(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, string? input, TimeSpan timeout,
        string? workingDirectory = null)
    {
        var start = Stopwatch.StartNew();
        using var process = new Process { StartInfo = StartInfo(fileName, arguments, environment, workingDirectory) };
        process.StartInfo.RedirectStandardInput = true;
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading all of its input; its output says why.
        }

        var commandLine = string.Join(' ', arguments.Prepend(Path.GetFileName(fileName)));
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var run = new ProcessRun(commandLine, input, -1, await stdout, await stderr, start.Elapsed);
            throw new TimeoutException($"Still running after {timeout.TotalSeconds} s; killed.{Environment.NewLine}{run}");
        }

        return new ProcessRun(commandLine, input, process.ExitCode, await stdout, await stderr, start.Elapsed);
    }

    public static ProcessStartInfo StartInfo(
        string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The developer's own CLI settings must not leak into a test, nor a test's into each other.
        info.Environment.Remove("CONTROL_CONFIG_DIR");
        info.Environment.Remove("XDG_CONFIG_HOME");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }
}
