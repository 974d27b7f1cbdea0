using System.Buffers;
using System.Diagnostics;
using System.Net.Security;
using System.Net.WebSockets;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;
using Control.Sessions;

namespace Control.Agent.Sessions;

/// <summary>
/// One viewer session after the TLS handshake: authentication in the policy's order (ACL, unattended password by
/// SCRAM or a remember-token, TOTP), then the channels the policy permits. The viewer is only ever told "denied";
/// the reason goes to the agent's log (and, with the session audit, to the API).
/// </summary>
internal sealed partial class AgentSession(SslStream transport, string viewerAlias, string certificateSerial, string source, SessionServices services) : IDisposable
{
    private readonly CancellationTokenSource _ended = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<SessionChannel> _open = [];
    private WebSocket? _socket;
    private SessionGrant? _grant;
    private string? _endReason;
    private Process? _process;
    private PseudoTerminal? _terminal;
    private ShellRecording? _recording;

    public Guid Id { get; } = Guid.CreateVersion7();

    public string ViewerAlias => viewerAlias;

    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _ended.Token);
        var cancellation = linked.Token;
        _socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = SessionProtocol.SubProtocol,
            KeepAliveInterval = TimeSpan.FromSeconds(15),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        });
        try
        {
            var methods = await AuthenticateAsync(cancellation);
            if (methods is null)
            {
                return;
            }

            services.Log($"session {Id}: {viewerAlias} from {source} authenticated by {string.Join(" + ", methods)}");
            await ServeChannelsAsync(cancellation);
        }
        catch (OperationCanceledException) when (_endReason is not null)
        {
        }
        catch (SessionProtocolViolation violation)
        {
            services.Log($"session {Id}: {viewerAlias} from {source} ended: {violation.Message}");
            await CloseAsync(WebSocketCloseStatus.ProtocolError, "protocol violation");
            return;
        }
        catch (WebSocketException e)
        {
            services.Log($"session {Id}: {viewerAlias} from {source} connection lost: {e.Message}");
            return;
        }
        finally
        {
            KillProcess();
        }

        if (_endReason is not null)
        {
            services.Log($"session {Id}: {viewerAlias} ended by the agent: {_endReason}");
            await TrySendAsync(new SessionEnded(_endReason));
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "session ended");
        }
        else
        {
            services.Log($"session {Id}: {viewerAlias} closed");
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }
    }

    /// <summary>Ends the session now (from another thread): the viewer is told why, the running process is killed.</summary>
    public void End(string reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, reason, null) is null)
        {
            KillProcess();
            _ended.Cancel();
        }
    }

    public void Recheck(ClientPolicy policy)
    {
        if (_grant is { } grant)
        {
            SessionChannel[] open;
            lock (_open)
            {
                open = [.. _open];
            }

            if (SessionAdmission.Recheck(policy, grant, open) is { } reason)
            {
                End(reason);
            }
        }
    }

    /// <summary>The methods that authenticated the viewer, or null when it was denied (and told so).</summary>
    private async Task<List<string>?> AuthenticateAsync(CancellationToken cancellation)
    {
        var hello = await ReceiveAsync<Hello>(cancellation);
        if (hello.Protocol != SessionProtocol.Version)
        {
            return await DenyAsync($"protocol version {hello.Protocol} is not {SessionProtocol.Version}");
        }

        var policy = services.Policy.Current;
        var keys = new[] { "viewer:" + viewerAlias, "source:" + source };
        if (services.Failures.LockedUntil(keys) is { } until)
        {
            return await DenyAsync($"locked out after repeated failures until {until:u}");
        }

        if (SessionAdmission.Admit(policy, viewerAlias) is { } refusal)
        {
            return await DenyAsync(refusal);
        }

        var methods = new List<string> { $"certificate {certificateSerial}" };
        if (policy!.Acl.Enabled)
        {
            methods.Add("access control list");
        }

        long? tokenEpoch = null;
        string? issuedToken = null;
        var unattended = policy.Unattended;
        if (!unattended.Enabled || unattended.Verifier is null)
        {
            return await DenyAsync("unattended access is off and no one at this client can accept sessions (attended mode is not available yet)");
        }

        if (hello.RememberToken is { } presented && !unattended.Exclusive
            && services.RememberTokens.Find(presented, viewerAlias, policy.TokenEpoch) is { } token)
        {
            methods.Add($"remember-token {token.Id}");
            tokenEpoch = policy.TokenEpoch;
        }
        else
        {
            if (hello.RememberToken is not null)
            {
                services.Log($"session {Id}: {viewerAlias} presented a remember-token that is {(unattended.Exclusive ? "not accepted in exclusive mode" : "unknown, cleared or not theirs")}; asking for the password");
            }

            await SendAsync(new PasswordRequired(unattended.Exclusive), cancellation);
            var start = await ReceiveAsync<ScramStart>(cancellation);
            var v = unattended.Verifier;
            var scram = new ScramServer(new ScramVerifier(v.Salt, v.Iterations, v.StoredKey, v.ServerKey));
            var challenge = scram.Challenge(start.ClientFirst) ?? throw new SessionProtocolViolation("malformed SCRAM client-first-message");
            await SendAsync(new ScramChallenge(challenge), cancellation);
            var proof = await ReceiveAsync<ScramProof>(cancellation);
            if (scram.Verify(proof.ClientFinal) is not { } serverFinal)
            {
                services.Failures.Failed(keys);
                return await DenyAsync("wrong unattended password");
            }

            await SendAsync(new ScramOutcome(serverFinal), cancellation);
            methods.Add("unattended password (SCRAM-SHA-256)");
            if (hello.Remember && !unattended.Exclusive)
            {
                issuedToken = services.RememberTokens.Issue(viewerAlias, Trim(hello.Device, 100), policy.TokenEpoch, services.Clock.GetUtcNow());
            }
        }

        if (policy.TwoFactor.Enabled)
        {
            await SendAsync(new TotpRequired(), cancellation);
            var code = await ReceiveAsync<TotpCode>(cancellation);
            if (!services.Totp.Accept(services.Policy.Current ?? policy, code.Code))
            {
                services.Failures.Failed(keys);
                return await DenyAsync("wrong, expired or already used TOTP code");
            }

            methods.Add("TOTP");
        }

        // The policy may have changed while the viewer was typing: admit only under the one in force now.
        var now = services.Policy.Current;
        var grant = new SessionGrant(viewerAlias, certificateSerial, tokenEpoch);
        var changed = now is null ? "this client has no policy" : SessionAdmission.Recheck(now, grant, []);
        if (changed is not null)
        {
            return await DenyAsync(changed);
        }

        _grant = grant;

        services.Failures.Succeeded(keys);
        var p = now!.Permissions;
        await SendAsync(new Accepted(Id, viewerAlias, methods, issuedToken, new SessionPermissions(p.Exec, p.Shell, p.FileTransfer)), cancellation);
        return methods;
    }

    private async Task<List<string>?> DenyAsync(string reason)
    {
        services.Log($"session {Id}: {viewerAlias} from {source} denied: {reason}");
        await TrySendAsync(new Denied("denied"));
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, "denied");
        return null;
    }

    /// <summary>
    /// One reader for the whole session: control messages open channels, data goes to the open shell. A shell runs
    /// beside this loop (its output pump sends <see cref="ProcessExited"/> when it ends), so keystrokes and resizes keep
    /// flowing while it runs.
    /// </summary>
    private async Task ServeChannelsAsync(CancellationToken cancellation)
    {
        var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
        Task? shell = null;
        try
        {
            while (true)
            {
                var frame = await SessionFrames.ReceiveAsync(_socket!, buffer, Timeout.InfiniteTimeSpan, cancellation);
                if (frame.Closed)
                {
                    return;
                }

                switch (frame.Control)
                {
                    case null when frame.Stream == DataStream.Stdin && _terminal is { } terminal:
                        await terminal.Stream.WriteAsync(frame.Data, cancellation);
                        break;
                    case null:
                        throw new SessionProtocolViolation("input data while no shell is open");
                    case ExecRequest exec when shell is null || shell.IsCompleted:
                        await ExecAsync(exec, cancellation);
                        break;
                    case ShellRequest request when shell is null || shell.IsCompleted:
                        shell = await StartShellAsync(request, cancellation);
                        break;
                    case WindowResized resized when _terminal is { } terminal:
                        terminal.Resize(Dimension(resized.Columns), Dimension(resized.Rows));
                        _recording?.Resized(resized.Columns, resized.Rows);
                        break;
                    case WindowResized:
                        break;
                    case ExecRequest or ShellRequest:
                        await SendAsync(new ChannelRefused("a shell is already open in this session"), cancellation);
                        break;
                    default:
                        throw new SessionProtocolViolation($"unexpected {frame.Control.GetType().Name} message");
                }
            }
        }
        finally
        {
            KillProcess();
            if (shell is not null)
            {
                await shell.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Starts the shell and its output pump; returns the pump (which ends with the shell).</summary>
    private async Task<Task?> StartShellAsync(ShellRequest request, CancellationToken cancellation)
    {
        var policy = services.Policy.Current;
        if (policy is null || !SessionAdmission.Permits(policy, SessionChannel.Shell))
        {
            services.Log($"session {Id}: shell refused: not permitted by the policy");
            await SendAsync(new ChannelRefused("shell is not permitted on this client"), cancellation);
            return null;
        }

        var term = TermPattern().IsMatch(request.Term ?? "") ? request.Term! : "xterm-256color";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var program = Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } configured && File.Exists(configured) ? configured
            : File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TERM"] = term,
            ["HOME"] = home,
            ["SHELL"] = program,
            ["USER"] = Environment.UserName,
            ["LOGNAME"] = Environment.UserName,
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin",
            ["LANG"] = "C.UTF-8",
            ["CONTROL_SESSION"] = Id.ToString(),
        };
        try
        {
            _terminal = PseudoTerminal.Start(program, ["-l"], environment, Directory.Exists(home) ? home : "/", Dimension(request.Columns), Dimension(request.Rows));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            await SendAsync(new ChannelRefused($"cannot start a shell: {e.Message}"), cancellation);
            return null;
        }

        _recording = new ShellRecording(Path.Combine(services.Recordings, $"{Id}.cast"), request.Columns, request.Rows, term, services.Clock.GetUtcNow());
        lock (_open)
        {
            _open.Add(SessionChannel.Shell);
        }

        services.Log($"session {Id}: shell {program} on a pseudo-terminal ({request.Columns}x{request.Rows}), pid {_terminal.ProcessId}, recorded to {_recording.Path}");
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

                    recording.Output(buffer.AsSpan(1, read));
                    await SendDataAsync(buffer.AsMemory(0, read + 1), cancellation);
                }

                var code = await terminal.WaitForExitAsync(cancellation);
                services.Log($"session {Id}: shell exited with {code}");
                await SendAsync(new ProcessExited(code), cancellation);
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

                recording.Dispose();
                terminal.Dispose();
                _terminal = null;
            }
        }, CancellationToken.None);
    }

    private static ushort Dimension(int value) => (ushort)Math.Clamp(value, 1, 1000);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z0-9.+-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex TermPattern();

    private async Task ExecAsync(ExecRequest request, CancellationToken cancellation)
    {
        var policy = services.Policy.Current;
        if (policy is null || !SessionAdmission.Permits(policy, SessionChannel.Exec))
        {
            services.Log($"session {Id}: exec refused: not permitted by the policy");
            await SendAsync(new ChannelRefused("exec is not permitted on this client"), cancellation);
            return;
        }

        if (string.IsNullOrWhiteSpace(request.Command) || request.Arguments is null)
        {
            throw new SessionProtocolViolation("an exec request without a command");
        }

        var start = new ProcessStartInfo(request.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in request.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

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
        services.Log($"session {Id}: exec {request.Command} ({request.Arguments.Count} arguments), pid {process.Id}");
        try
        {
            process.StandardInput.Close();
            await Task.WhenAll(
                PumpAsync(process.StandardOutput.BaseStream, DataStream.Stdout, cancellation),
                PumpAsync(process.StandardError.BaseStream, DataStream.Stderr, cancellation));
            await process.WaitForExitAsync(cancellation);
            await SendAsync(new ProcessExited(process.ExitCode), cancellation);
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

    private async Task<T> ReceiveAsync<T>(CancellationToken cancellation) where T : SessionMessage =>
        await ReceiveAsync<T>(allowClose: false, cancellation) ?? throw new SessionProtocolViolation("the viewer closed the session during authentication");

    private async Task<T?> ReceiveAsync<T>(bool allowClose, CancellationToken cancellation) where T : SessionMessage
    {
        var message = await SessionFrames.ReceiveControlAsync(_socket!, allowClose ? Timeout.InfiniteTimeSpan : SessionProtocol.StepTimeout, cancellation);
        if (message is null)
        {
            return allowClose ? null : throw new SessionProtocolViolation("the viewer closed the session");
        }

        return message as T ?? throw new SessionProtocolViolation($"expected {typeof(T).Name}, got {message.GetType().Name}");
    }

    private async Task SendAsync(SessionMessage message, CancellationToken cancellation)
    {
        await _sending.WaitAsync(cancellation);
        try
        {
            await _socket!.SendAsync(SessionProtocol.Serialize(message), WebSocketMessageType.Text, endOfMessage: true, cancellation);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task SendDataAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        await _sending.WaitAsync(cancellation);
        try
        {
            await _socket!.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, cancellation);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task TrySendAsync(SessionMessage message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await SendAsync(message, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            if (_socket is { State: WebSocketState.Open or WebSocketState.CloseReceived } socket)
            {
                await socket.CloseOutputAsync(status, description, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private static string? Trim(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];

    public void Dispose()
    {
        _ended.Dispose();
        _sending.Dispose();
        _socket?.Dispose();
    }
}
