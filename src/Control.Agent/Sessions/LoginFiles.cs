using System.Diagnostics;
using Control.Agent.Platform;

namespace Control.Agent.Sessions;

/// <summary>
/// The client's files as the session's login sees them. Every file operation of <c>control cp</c> is a coreutils program
/// run as the login (as sshd runs sftp-server as the user): it can read and write only what the login can, files it
/// creates belong to the login and get the session's file-creation mask, and the agent's own rights never touch a path
/// a viewer named. The agent only pipes the bytes and hashes them.
/// </summary>
internal sealed class LoginFiles(LocalAccount account, Guid sessionId)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    public LocalAccount Account => account;

    /// <summary>An absolute path, or one relative to the login's home (<c>~</c> too); null when unusable.</summary>
    public string? Resolve(string? path)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal) || path.Length > 4096)
        {
            return null;
        }

        var home = account.WorkingDirectory;
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(home, path.Length > 2 ? path[2..] : "");
        }

        return Path.GetFullPath(path, home);
    }

    /// <summary>What kind of file <paramref name="path"/> is for the login ("regular file", "directory", ...) and its size; or why it cannot tell.</summary>
    public async Task<(string? Kind, long Size, string? Problem)> StatAsync(string path, CancellationToken cancellation)
    {
        var (exit, output, error) = await RunAsync("stat", ["--dereference", "--format=%s %F", "--", path], cancellation);
        if (exit != 0)
        {
            return (null, 0, error);
        }

        var space = output.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && long.TryParse(output.AsSpan(0, space), out var size)
            ? (output[(space + 1)..].TrimEnd('\n'), size, null)
            : (null, 0, "stat printed something unexpected");
    }

    /// <summary>The login reading <paramref name="path"/>: its standard output is the file.</summary>
    public Process StartReading(string path) => Start("cat", ["--", path]);

    /// <summary>Creates an empty file that must not exist yet (O_EXCL: never follows or replaces anything); null, or why not.</summary>
    public async Task<string?> CreateExclusiveAsync(string path, CancellationToken cancellation) =>
        await StepAsync("dd", ["if=/dev/null", $"of={path}", "conv=excl", "status=none"], cancellation);

    /// <summary>The login writing its standard input to <paramref name="path"/> (created already), flushed to disk at the end.</summary>
    public Process StartWriting(string path) => Start("dd", [$"of={path}", "conv=notrunc,fsync", "bs=65536", "status=none"]);

    /// <summary>Renames <paramref name="from"/> over <paramref name="to"/> (never into a folder of that name); null, or why not.</summary>
    public async Task<string?> ReplaceAsync(string from, string to, CancellationToken cancellation) =>
        await StepAsync("mv", ["--force", "--no-target-directory", "--", from, to], cancellation);

    public async Task<string?> DeleteAsync(string path, CancellationToken cancellation) =>
        await StepAsync("rm", ["--force", "--", path], cancellation);

    /// <summary>The human part of a coreutils error ("dd: failed to open 'x': Permission denied" → "Permission denied").</summary>
    public static string Reason(string error)
    {
        var line = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "failed";
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return colon >= 0 ? line[(colon + 2)..] : line;
    }

    private async Task<string?> StepAsync(string program, string[] arguments, CancellationToken cancellation)
    {
        var (exit, _, error) = await RunAsync(program, arguments, cancellation);
        return exit == 0 ? null : error;
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(string program, string[] arguments, CancellationToken cancellation)
    {
        using var process = Start(program, arguments);
        process.StandardInput.Close();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(StepTimeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(bounded.Token);
            var error = process.StandardError.ReadToEndAsync(bounded.Token);
            await process.WaitForExitAsync(bounded.Token);
            return (process.ExitCode, await output, await error);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    private Process Start(string program, string[] arguments) =>
        Process.Start(account.StartInfo(program, arguments, sessionId)) ?? throw new InvalidOperationException($"{program} did not start");
}
