using System.Collections.Concurrent;
using System.Diagnostics;

namespace Control.EndToEnd.Tests;

/// <summary>
/// <c>control-agent</c> as one machine runs it: enrolled into its own state folder, then <c>control-agent run</c> in the
/// background with every line it prints kept, for waits and for failure messages. Killed when disposed.
/// </summary>
internal sealed class AgentDaemon(string stateDirectory) : IDisposable
{
    /// <summary>How long a one-shot <c>control-agent</c> command (enroll, status) may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> Environment = new() { ["DOTNET_NOLOGO"] = "1" };

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public string StateDirectory { get; } = stateDirectory;

    /// <summary>What the daemon printed so far, standard output and error in the order they arrived.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public string Log =>
        $"--- agent output ({Path.GetFileName(StateDirectory)}) ---{System.Environment.NewLine}{string.Join(System.Environment.NewLine, _output)}";

    /// <summary>One <c>control-agent</c> command, run to completion.</summary>
    public static Task<ProcessRun> RunAsync(params string[] arguments) =>
        ProcessRun.RunAsync(Artifacts.DotnetHost, [Artifacts.AgentDll, .. arguments], Environment, null, Timeout);

    /// <summary><c>control-agent enroll</c> into this state folder with the license key in <paramref name="licenseKeyFile"/>.</summary>
    public Task<ProcessRun> EnrollAsync(string server, string licenseKeyFile, string alias) =>
        RunAsync("enroll", "--no-login-account", "--server", server, "--token-file", licenseKeyFile, "--alias", alias, "--state-dir", StateDirectory);

    /// <summary>Starts <c>control-agent run</c> on this state folder, with further options such as <c>--listen 127.0.0.1:0</c>.</summary>
    public void Start(params string[] options)
    {
        _process = new Process
        {
            StartInfo = ProcessRun.StartInfo(Artifacts.DotnetHost, [Artifacts.AgentDll, "run", "--state-dir", StateDirectory, .. options], Environment,
                Path.GetDirectoryName(StateDirectory)),
        };
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool Printed(string fragment) => _output.Any(line => line.Contains(fragment, StringComparison.Ordinal));

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }
}
