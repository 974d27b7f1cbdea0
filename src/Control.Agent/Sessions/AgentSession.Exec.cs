using System.Buffers;
using System.Diagnostics;
using Control.Domain.Sessions;
using Control.Sessions;

namespace Control.Agent.Sessions;

/// <summary>The exec channel: a program without a shell, its output streamed, its exit code reported.</summary>
internal sealed partial class AgentSession
{
    private async Task ExecAsync(ExecRequest request, CancellationToken cancellation)
    {
        var policy = services.Policy.Current;
        if (policy is null || !SessionAdmission.Permits(policy, SessionChannel.Exec))
        {
            services.Log($"session {Id}: exec refused: not permitted by the policy");
            Audit(new SessionChannelOpened(Id, services.ClientId, "exec", Describe(request), "not permitted by the policy", services.Clock.GetUtcNow()));
            await SendAsync(new ChannelRefused("exec is not permitted on this client"), cancellation);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Command) || request.Arguments is null)
        {
            throw new SessionProtocolViolation("an exec request without a command");
        }

        var start = Account.StartInfo(request.Command, request.Arguments, Id);

        Audit(new SessionChannelOpened(Id, services.ClientId, "exec", Describe(request), null, services.Clock.GetUtcNow()));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            await SendAsync(new ChannelRefused($"cannot run {request.Command}: {e.Message}"), cancellation);
            return;
        }

        lock (_open)
        {
            _open.Add(SessionChannel.Exec);
        }

        _process = process;
        services.Log($"session {Id}: exec {request.Command} ({request.Arguments.Count} arguments) as {Account.Name}, pid {process.Id}");
        try
        {
            process.StandardInput.Close();
            await Task.WhenAll(
                PumpAsync(process.StandardOutput.BaseStream, DataStream.Stdout, cancellation),
                PumpAsync(process.StandardError.BaseStream, DataStream.Stderr, cancellation));
            await process.WaitForExitAsync(cancellation);
            // Killed because the session is being ended: the viewer is told why (SessionEnded), not a bare exit code.
            if (Volatile.Read(ref _endReason) is null)
            {
                await SendAsync(new ProcessExited(process.ExitCode), cancellation);
            }

            services.Log($"session {Id}: exec {request.Command} exited with {process.ExitCode}");
        }
        finally
        {
            lock (_open)
            {
                _open.Remove(SessionChannel.Exec);
            }

            KillProcess();
            _process = null;
            process.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, DataStream stream, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SessionProtocol.MaxDataMessageBytes);
        try
        {
            buffer[0] = (byte)stream;
            int read;
            while ((read = await from.ReadAsync(buffer.AsMemory(1, SessionProtocol.MaxDataMessageBytes - 1), cancellation)) > 0)
            {
                await SendDataAsync(buffer.AsMemory(0, read + 1), cancellation);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void KillProcess()
    {
        _terminal?.Kill();
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
        }
    }

    /// <summary>The command line as the audit trail shows it (quoted where needed, at most 500 characters).</summary>
    private static string Describe(ExecRequest request)
    {
        var line = string.Join(' ', new[] { request.Command }.Concat(request.Arguments ?? []).Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a));
        return line.Length <= 500 ? line : line[..500] + "…";
    }
}
