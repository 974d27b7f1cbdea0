using System.Net.WebSockets;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>The interactive shell channel: a pseudo-terminal, its output pump, its recording.</summary>
internal sealed partial class AgentSession
{
    /// <summary>Starts the shell and its output pump; returns the pump (which ends with the shell).</summary>
    private async Task<Task?> StartShellAsync(ShellRequest request, CancellationToken cancellation)
    {
        var policy = services.Policy.Current;
        if (policy is null || !SessionAdmission.Permits(policy, SessionChannel.Shell))
        {
            services.Log($"session {Id}: shell refused: not permitted by the policy");
            Audit(new SessionChannelOpened(Id, services.ClientId, "shell", request.Term ?? "", "not permitted by the policy", services.Clock.GetUtcNow()));
            await SendAsync(new ChannelRefused("shell is not permitted on this client"), cancellation);
            return null;
        }

        var term = TermPattern().IsMatch(request.Term ?? "") ? request.Term! : "xterm-256color";
        var account = Account;
        var program = account.LoginShell;
        var environment = account.Environment(Id);
        environment["TERM"] = term;
        // The organization may turn recording off (e.g. where recording screens needs consent); the audit says which.
        var recorded = policy.Sessions.RecordShellSessions;
        Audit(new SessionChannelOpened(Id, services.ClientId, "shell",
            $"{program} on a {request.Columns}x{request.Rows} {term} terminal, {(recorded ? "recorded" : "not recorded")}", null, services.Clock.GetUtcNow()));
        try
        {
            _terminal = PseudoTerminal.StartAs(account, program, ["-l"], environment, Dimension(request.Columns), Dimension(request.Rows));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or FileNotFoundException)
        {
            await SendAsync(new ChannelRefused($"cannot start a shell: {e.Message}"), cancellation);
            return null;
        }

        _recording = recorded
            ? new ShellRecording(services.Recordings, Id, services.ClientId, request.Columns, request.Rows, term, services.Audit, services.Clock)
            : null;
        lock (_open)
        {
            _open.Add(SessionChannel.Shell);
        }

        services.Log($"session {Id}: shell {program} as {account.Name} on a pseudo-terminal ({request.Columns}x{request.Rows}), pid {_terminal.ProcessId}, {(_recording is not null ? "recorded in parts to " + services.Recordings : "not recorded")}");
        var terminal = _terminal;
        var recording = _recording;
        return Task.Run(async () =>
        {
            var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
            buffer[0] = (byte)DataStream.Stdout;
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        // Blocking read on a thread of its own: a pty's primary side is not pollable through FileStream.
                        read = terminal.Stream.Read(buffer, 1, buffer.Length - 1);
                    }
                    catch (IOException)
                    {
                        break; // EIO: the last program holding the terminal is gone.
                    }

                    if (read <= 0)
                    {
                        break;
                    }

                    recording?.Output(buffer.AsSpan(1, read));
                    await SendDataAsync(buffer.AsMemory(0, read + 1), cancellation);
                }

                var code = await terminal.WaitForExitAsync(cancellation);
                services.Log($"session {Id}: shell exited with {code}");
                if (Volatile.Read(ref _endReason) is null)
                {
                    await SendAsync(new ProcessExited(code), cancellation);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
            finally
            {
                lock (_open)
                {
                    _open.Remove(SessionChannel.Shell);
                }

                // The last part is sealed (final) and queued: the API then knows the recording is whole.
                recording?.Dispose();

                terminal.Dispose();
                _terminal = null;
            }
        }, CancellationToken.None);
    }


    private static ushort Dimension(int value) => (ushort)Math.Clamp(value, 1, 1000);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9.+-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex TermPattern();
}
