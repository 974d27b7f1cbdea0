using System.Diagnostics;
using System.Text;

namespace Control.Agent.Tests.Infrastructure;

/// <summary>The real <c>control-agent.dll</c> in its own process, its output captured line by line.</summary>
internal sealed class AgentProcess : IDisposable
{
    public static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "control-agent.dll");

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private AgentProcess(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The tests run as root: never let a default resolve to /var/lib/control-agent.
        start.Environment.Remove("CONTROL_AGENT_STATE_DIR");
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_errors, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Arguments = string.Join(' ', args);
    }

    public string Arguments { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static AgentProcess Start(params string[] args) => new(args);

    /// <summary>Runs a command to its end (at most 30 s) and returns its exit code and output.</summary>
    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(null, args);

    public static async Task<CliResult> RunAsync(string? input, params string[] args)
    {
        using var process = new AgentProcess(args);
        if (input is not null)
        {
            await process._process.StandardInput.WriteAsync(input);
        }

        process._process.StandardInput.Close();
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        return new CliResult(code, process.Output, process.Errors);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"control-agent {Arguments} did not exit within {timeout.TotalSeconds} s{Environment.NewLine}{this}");
        }

        // WaitForExit without a timeout drains the redirected streams.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd stops a service (Process.Kill would send SIGKILL).</summary>
    public void Terminate() => Signal("TERM");

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit(5000);
    }

    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        Eventually.Until(() => Output.Contains(text, StringComparison.Ordinal), $"'{text}' on stdout of control-agent {Arguments}", timeout, ToString);

    public Task WaitForErrorAsync(string text, TimeSpan? timeout = null) =>
        Eventually.Until(() => Errors.Contains(text, StringComparison.Ordinal), $"'{text}' on stderr of control-agent {Arguments}", timeout, ToString);

    public override string ToString() => $"--- stdout ---{Environment.NewLine}{Output}--- stderr ---{Environment.NewLine}{Errors}--------------";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}

internal sealed record CliResult(int Code, string Output, string Errors)
{
    public override string ToString() => $"exit {Code}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Output}--- stderr ---{Environment.NewLine}{Errors}";
}
