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
    private readonly long _started = services.Clock.GetTimestamp();
    private long _bytesFromViewer;
    private long _bytesToViewer;
    private Process? _process;
    private PseudoTerminal? _terminal;
    private ShellRecording? _recording;
    private Platform.LocalAccount? _account;

    /// <summary>The account every channel of this session runs as (set once the viewer is admitted).</summary>
    private Platform.LocalAccount Account => _account ?? throw new InvalidOperationException("no channel before admission");

    public Guid Id { get; } = Guid.CreateVersion7();

    public string ViewerAlias => viewerAlias;

    public async Task RunAsync(CancellationToken stop)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, _ended.Token);
        var cancellation = linked.Token;
        // Keep-alive without a timeout: the agent does not read while a program runs or a person decides, so a ping
        // could go unanswered for minutes; dead peers are found by TCP and by the next write.
        _socket = WebSocket.CreateFromStream(transport, new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = SessionProtocol.SubProtocol,
            KeepAliveInterval = TimeSpan.FromSeconds(15),
        });
        string endedBy = "viewer";
        string? endReason = null;
        try
        {
            var methods = await AuthenticateAsync(cancellation);
            if (methods is null)
            {
                return;
            }

            services.Log($"session {Id}: {viewerAlias} from {source} authenticated by {string.Join(" + ", methods)}, as {Account.Name}");
            await ServeChannelsAsync(cancellation);
        }
        catch (OperationCanceledException) when (_endReason is not null)
        {
        }
        catch (SessionProtocolViolation violation)
        {
            services.Log($"session {Id}: {viewerAlias} from {source} ended: {violation.Message}");
            (endedBy, endReason) = ("agent", "protocol violation: " + violation.Message);
            await CloseAsync(WebSocketCloseStatus.ProtocolError, "protocol violation");
        }
        catch (WebSocketException e)
        {
            services.Log($"session {Id}: {viewerAlias} from {source} connection lost: {e.Message}");
            endReason = "connection lost";
        }
        finally
        {
            KillProcess();
        }

        if (_endReason is not null)
        {
            services.Log($"session {Id}: {viewerAlias} ended by the agent: {_endReason}");
            endedBy = _endReason.StartsWith("the agent", StringComparison.Ordinal) ? "agent"
                : _endReason == SessionAdmission.EndedByOperator ? "operator"
                : "policy";
            endReason = _endReason;
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, "session ended");
        }
        else if (endReason is null)
        {
            services.Log($"session {Id}: {viewerAlias} closed");
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
        }

        if (_grant is not null)
        {
            Audit(new SessionClosed(Id, services.ClientId, endedBy, endReason, (long)services.Clock.GetElapsedTime(_started).TotalMilliseconds,
                Interlocked.Read(ref _bytesFromViewer), Interlocked.Read(ref _bytesToViewer), services.Clock.GetUtcNow()));
        }
    }

    /// <summary>Makes a session fact durable (on disk, fsync'd) before the agent acts on it.</summary>
    private void Audit(SessionEvent sessionEvent) => services.Audit.Record(sessionEvent);

    /// <summary>
    /// One reader for the whole session: control messages open channels, data goes to the open shell. A shell runs
    /// beside this loop (its output pump sends <see cref="ProcessExited"/> when it ends), so keystrokes and resizes keep
    /// flowing while it runs.
    /// </summary>
    private async Task ServeChannelsAsync(CancellationToken cancellation)
    {
        var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
        Task? shell = null;
        FileUpload? upload = null;
        var discarding = false;
        try
        {
            while (true)
            {
                var frame = await SessionFrames.ReceiveAsync(_socket!, buffer, Timeout.InfiniteTimeSpan, cancellation);
                if (frame.Closed)
                {
                    return;
                }

                Interlocked.Add(ref _bytesFromViewer, frame.Data.Length);

                switch (frame.Control)
                {
                    case null when frame.Stream == DataStream.File && upload is not null:
                        if (await upload.WriteAsync(frame.Data, cancellation) is { } writeProblem)
                        {
                            await RefuseUploadAsync(upload, writeProblem, cancellation);
                            await upload.DisposeAsync();
                            upload = null;
                            discarding = true;
                        }

                        break;
                    case null when frame.Stream == DataStream.File && discarding:
                        break;
                    case FileEnd when discarding:
                        discarding = false;
                        break;
                    case FileEnd end when upload is not null:
                        await FinishUploadAsync(upload, end, cancellation);
                        await upload.DisposeAsync();
                        upload = null;
                        break;
                    case FilePut put when upload is null && (shell is null || shell.IsCompleted):
                        upload = await StartUploadAsync(put, cancellation);
                        break;
                    case FileGet get when upload is null && (shell is null || shell.IsCompleted):
                        await DownloadAsync(get, cancellation);
                        break;
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
                    case ExecRequest or ShellRequest or FilePut or FileGet:
                        await SendAsync(new ChannelRefused("another channel is already open in this session"), cancellation);
                        break;
                    default:
                        throw new SessionProtocolViolation($"unexpected {frame.Control.GetType().Name} message");
                }
            }
        }
        finally
        {
            if (upload is not null)
            {
                await upload.DisposeAsync();
            }

            KillProcess();
            if (shell is not null)
            {
                await shell.ContinueWith(_ => { }, TaskScheduler.Default);
            }
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
            Interlocked.Add(ref _bytesToViewer, data.Length - 1);
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

    public void Dispose()
    {
        _ended.Dispose();
        _sending.Dispose();
        _socket?.Dispose();
    }
}
