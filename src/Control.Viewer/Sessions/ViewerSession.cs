using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;
using Control.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;


/// <summary>
/// The viewer's end of a session: TCP, TLS (1.3, or 1.2 with ECDHE + AEAD only) presenting the viewer certificate and
/// accepting the agent only when its public key is the one the directory published (pinned, no CA involved), then the
/// session protocol over WebSocket framing.
/// </summary>
internal sealed partial class ViewerSession : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private const string CertificateRefusedHint =
        "the agent refuses viewer certificates that are expired, revoked or not from your organization's CA; run control login to renew yours";

    private readonly TcpClient _tcp;
    private readonly SslStream _ssl;
    private readonly WebSocket _socket;
    private readonly byte[] _buffer = new byte[SessionProtocol.MaxDataMessageBytes];

    private ViewerSession(TcpClient tcp, SslStream ssl, WebSocket socket, DirectoryEntry agent, string agentFingerprint)
    {
        _tcp = tcp;
        _ssl = ssl;
        _socket = socket;
        Agent = agent;
        AgentFingerprint = agentFingerprint;
    }

    public DirectoryEntry Agent { get; }

    public string AgentFingerprint { get; }

    public Accepted? Acceptance { get; private set; }

    /// <summary>
    /// Loads the machine's CA bundle on a thread-pool thread, so that it is ready when the handshake needs it. .NET builds
    /// an X.509 chain for the viewer certificate and for the agent's (before the pinning callback runs), and the first
    /// chain of a process reads every certificate under /etc/ssl/certs: the largest part of a short session's start-up,
    /// which otherwise runs only after the credentials are read and the connection is made. Nothing is trusted from it:
    /// the agent is accepted by its pinned key alone.
    /// </summary>
    public static void PrepareTrustStore() => _ = Task.Run(() =>
    {
        try
        {
            using var store = new X509Store(StoreName.CertificateAuthority, StoreLocation.LocalMachine);
            store.Open(OpenFlags.ReadOnly);
            foreach (var certificate in store.Certificates)
            {
                certificate.Dispose();
            }
        }
        catch (CryptographicException)
        {
            // The handshake loads it again and reports what is wrong, if anything is.
        }
    });

    public static async Task<ViewerSession> ConnectAsync(DirectoryEntry agent, X509Certificate2 identity, CancellationToken cancellation)
    {
        var tcp = new TcpClient { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                connect.CancelAfter(ConnectTimeout);
                try
                {
                    await tcp.ConnectAsync(agent.Host, agent.Port, connect.Token);
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw CliException.Failure($"the agent at {agent.Host}:{agent.Port} did not answer within {ConnectTimeout.TotalSeconds:0} s");
                }
                catch (SocketException e)
                {
                    throw CliException.Failure($"cannot reach the agent at {agent.Host}:{agent.Port}: {e.Message} (is control-agent run --listen running there?)");
                }
            }

            PhaseTrace.Mark("TCP connected");
            string? presented = null;
            ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = agent.ClientNumber,
                ClientCertificateContext = SslStreamCertificateContext.Create(identity, additionalCertificates: null, offline: true),
                EnabledSslProtocols = SessionTransport.Protocols,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                AllowRenegotiation = false,
                // The chain SslStream builds before our check must not consult the machine's trust store (it is not what
                // decides, and reading it is most of a handshake's time on a short-lived process): no roots, no downloads.
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                    DisableCertificateDownloads = true,
                },
                // Trust is the pinned key alone: the agent's certificate is self-signed with its enrolment key, whose
                // SHA-256 the API recorded at enrolment and the directory returned.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null)
                    {
                        return false;
                    }

                    using var agentCertificate = new X509Certificate2(certificate);
                    presented = ViewerCertificates.KeyFingerprint(agentCertificate);
                    return CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.ASCII.GetBytes(presented), System.Text.Encoding.ASCII.GetBytes(agent.KeyFingerprint.ToLowerInvariant()));
                },
            };
            if (!OperatingSystem.IsWindows())
            {
                options.CipherSuitesPolicy = new CipherSuitesPolicy(SessionTransport.CipherSuites);
            }

            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
            {
                handshake.CancelAfter(ConnectTimeout);
                try
                {
                    await ssl.AuthenticateAsClientAsync(options, handshake.Token);
                }
                catch (AuthenticationException) when (presented is not null && !string.Equals(presented, agent.KeyFingerprint, StringComparison.OrdinalIgnoreCase))
                {
                    throw CliException.Failure(
                        $"the machine at {agent.Host}:{agent.Port} is not client {agent.ClientNumber}: its key fingerprint is {presented}, " +
                        $"the directory says {agent.KeyFingerprint}. Nothing was sent. (Someone may be intercepting the connection, or the agent was re-enrolled.)");
                }
                catch (Exception e) when (e is AuthenticationException or IOException)
                {
                    throw CliException.Failure($"the TLS handshake with {agent.Host}:{agent.Port} failed: {e.Message} ({CertificateRefusedHint})");
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    throw CliException.Failure($"the TLS handshake with {agent.Host}:{agent.Port} did not finish within {ConnectTimeout.TotalSeconds:0} s");
                }
            }

            if (!SessionTransport.IsAllowed(ssl.SslProtocol, ssl.NegotiatedCipherSuite))
            {
                throw CliException.Failure($"the agent negotiated {ssl.SslProtocol} {ssl.NegotiatedCipherSuite}, which this viewer does not accept");
            }

            var socket = WebSocket.CreateFromStream(ssl, new WebSocketCreationOptions
            {
                IsServer = false,
                SubProtocol = SessionProtocol.SubProtocol,
                // Heartbeats without a timeout: the agent does not read while a program runs or a person decides.
                KeepAliveInterval = TimeSpan.FromSeconds(15),
            });
            return new ViewerSession(tcp, ssl, socket, agent, presented!);
        }
        catch
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }

            tcp.Dispose();
            throw;
        }
    }

    private async Task<T> ExpectAsync<T>(CancellationToken cancellation) where T : SessionMessage
    {
        var frame = await ReceiveAsync(cancellation);
        return frame.Control as T ?? throw Unexpected(frame);
    }

    private CliException Unexpected(SessionFrame frame) => frame switch
    {
        { Closed: true } => CliException.Failure($"client {Name} closed the session"),
        { Control: ChannelRefused refused } => CliException.Failure($"client {Name}: {refused.Message}"),
        { Control: SessionEnded ended } => CliException.Failure($"client {Name} ended the session: {ended.Message}"),
        { Control: { } other } => CliException.Failure($"the agent sent an unexpected {other.GetType().Name}"),
        _ => CliException.Failure("the agent sent data out of turn"),
    };

    /// <summary>The connection mode, as the reference page's "connmode": transport, how each side was verified, how the session was authenticated.</summary>
    public IEnumerable<string> ConnectionMode()
    {
        yield return $"connection mode: {SessionTransport.ProtocolName(_ssl.SslProtocol)}, {_ssl.NegotiatedCipherSuite} (AEAD), mutual authentication";
        yield return $"  agent   client {Name}: verified, key fingerprint {AgentFingerprint} matches the directory (pinned)";
        if (Acceptance is { } accepted)
        {
            yield return $"  viewer  {accepted.ViewerIdentity}: certificate verified by the agent against the organization's viewer CA";
            yield return $"  access  {string.Join(" + ", accepted.Methods.Where(m => !m.StartsWith("certificate", StringComparison.Ordinal)))}; session {accepted.SessionId}";
            yield return accepted.Login == Domain.Sessions.SessionLogins.Root
                ? "  login   as root: this session can read and change everything on the client, the agent included"
                : $"  login   as {accepted.Login}";
        }
    }

    public string Name => Agent.Alias is { } alias ? $"{Agent.ClientNumber} ({alias})" : Agent.ClientNumber;

    public async Task CloseAsync(CancellationToken cancellation)
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellation);
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>
    /// Sends the hello and reads the agent's first answer. With TLS 1.3 the viewer's side of the handshake completes
    /// before the agent has checked the viewer's certificate, so an agent that refuses it (expired, revoked, another
    /// organization's) is seen only here: the connection drops before the agent has said anything.
    /// </summary>
    private async Task<SessionMessage> FirstAnswerAsync(Hello hello, CancellationToken cancellation)
    {
        SessionFrame frame;
        try
        {
            await SendAsync(hello, cancellation);
            frame = await SessionFrames.ReceiveAsync(_socket, _buffer, Timeout.InfiniteTimeSpan, cancellation);
        }
        catch (SessionProtocolViolation violation)
        {
            throw CliException.Failure($"client {Name} broke the session protocol: {violation.Message}");
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            throw CliException.Failure($"client {Name} dropped the connection before the session started ({CertificateRefusedHint})");
        }

        return frame.Closed
            ? throw CliException.Failure($"client {Name} closed the session")
            : frame.Control ?? throw CliException.Failure("the agent sent data during authentication");
    }

    private async Task<SessionMessage> ReceiveControlAsync(CancellationToken cancellation)
    {
        var frame = await ReceiveAsync(cancellation);
        if (frame.Closed)
        {
            throw CliException.Failure($"client {Name} closed the session");
        }

        return frame.Control ?? throw CliException.Failure("the agent sent data during authentication");
    }

    private Task<SessionFrame> ReceiveAsync(CancellationToken cancellation) => ReceiveAsync(_buffer, cancellation);

    private async Task<SessionFrame> ReceiveAsync(byte[] buffer, CancellationToken cancellation)
    {
        try
        {
            return await SessionFrames.ReceiveAsync(_socket, buffer, Timeout.InfiniteTimeSpan, cancellation);
        }
        catch (SessionProtocolViolation violation)
        {
            throw CliException.Failure($"client {Name} broke the session protocol: {violation.Message}");
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            throw CliException.Failure($"the session with client {Name} was cut: {e.Message}");
        }
    }

    private Task SendAsync(SessionMessage message, CancellationToken cancellation) =>
        _socket.SendAsync(SessionProtocol.Serialize(message), WebSocketMessageType.Text, endOfMessage: true, cancellation);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _ssl.DisposeAsync();
        _tcp.Dispose();
    }
}
