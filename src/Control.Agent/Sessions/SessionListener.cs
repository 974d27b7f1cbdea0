using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Control.Agent.Audit;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>
/// Accepts viewer sessions on a TCP port: mutual TLS (see <see cref="SessionTransport"/>), then the session protocol
/// (<see cref="AgentSession"/>). Every new policy re-checks every live session; one that no longer qualifies ends.
/// Before authentication a connection is bounded (<see cref="SourceLimits"/>: beyond them it is closed at once) and its
/// refusal only counted (<see cref="HandshakeRefusals"/>: one audit event per source and minute).
/// </summary>
internal sealed class SessionListener : IDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly SessionServices _services;
    private readonly SslStreamCertificateContext _certificate;
    private readonly ConcurrentDictionary<Guid, AgentSession> _live = new();
    private readonly SourceLimits _limits = new();
    private readonly HandshakeRefusals _refusals;

    public SessionListener(IPEndPoint endpoint, X509Certificate2 certificate, SessionServices services)
    {
        _listener = new TcpListener(endpoint);
        _certificate = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _services = services;
        _refusals = new HandshakeRefusals(services.ClientId, services.Audit, services.Clock, services.Log);
        services.Policy.Changed += Recheck;
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    public IReadOnlyCollection<AgentSession> Live => _live.Values.ToList();

    public void Start() => _listener.Start(backlog: 128);

    public async Task RunAsync(CancellationToken stop)
    {
        var reporting = _refusals.RunAsync(stop);
        using var stopping = stop.Register(_listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && stop.IsCancellationRequested))
            {
                break;
            }
            catch (SocketException e)
            {
                _services.Log($"accepting a session connection failed: {e.Message}");
                continue;
            }

            var address = (tcp.Client.RemoteEndPoint as IPEndPoint)?.Address;
            var source = address?.ToString() ?? "unknown";
            if (!_services.Audit.AcceptsNewSessions)
            {
                // Fail closed: a session that could not be audited is not opened (counted like any refusal: one log line a minute per source).
                tcp.Dispose();
                _refusals.Add(source, "the session audit queue is full (the API has not taken it for a long time)");
                continue;
            }

            if (_limits.TryOpen(address, out var refusal) is not { } slot)
            {
                // Closed before TLS: no handshake work for whoever floods the port.
                tcp.Dispose();
                _refusals.Add(source, refusal!);
                continue;
            }

            _ = Task.Run(() => ServeAsync(tcp, source, slot, stop), CancellationToken.None);
        }

        foreach (var session in _live.Values)
        {
            session.End("the agent is stopping");
        }

        await reporting;
    }

    private async Task ServeAsync(TcpClient tcp, string source, SourceLimits.Slot slot, CancellationToken stop)
    {
        try
        {
            tcp.NoDelay = true;
            await using var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            string? certificateRefusal = null;
            string? alias = null;
            var options = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SessionTransport.Protocols,
                CipherSuitesPolicy = new CipherSuitesPolicy(SessionTransport.CipherSuites),
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
                // The viewer's certificate is checked against the organization's CA and revocations from the signed
                // policy, not the machine's trust store: a certificate any public CA issued means nothing here.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var presented = certificate is null ? null : new X509Certificate2(certificate);
                    certificateRefusal = ViewerCertificates.Check(presented, _services.Policy.Current ?? Unset, _services.Clock.GetUtcNow(), out var verified);
                    alias = certificateRefusal is null ? verified : null;
                    return certificateRefusal is null;
                },
            };

            using (var handshake = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                handshake.CancelAfter(HandshakeTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(options, handshake.Token);
                }
                catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException or OperationCanceledException or System.ComponentModel.Win32Exception)
                {
                    if (certificateRefusal is not null)
                    {
                        // The certificate check ran and refused: an access attempt worth auditing, counted per source and
                        // minute. Connections that fail before it (scanners, probes offering old protocols) are only logged.
                        _refusals.Add(source, certificateRefusal);
                    }
                    else
                    {
                        _services.Log($"session from {source} refused in the TLS handshake: {Describe(e)}");
                    }

                    return;
                }
            }

            slot.HandshakeDone();

            using var remote = ssl.RemoteCertificate is { } c ? new X509Certificate2(c) : null;
            // Belt and braces: the handshake options allow nothing else, but what was negotiated is what counts. The
            // certificate itself was checked once, in the handshake (alias is set only when it passed).
            if (remote is null || alias is null || !SessionTransport.IsAllowed(ssl.SslProtocol, ssl.NegotiatedCipherSuite))
            {
                _services.Log($"session from {source} refused after the TLS handshake: {(remote is null ? "no viewer certificate" : "transport or certificate not acceptable")}");
                return;
            }

            using var session = new AgentSession(ssl, alias, remote.SerialNumber, source, _services);
            _live[session.Id] = session;
            try
            {
                await session.RunAsync(stop);
            }
            finally
            {
                _live.TryRemove(session.Id, out _);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _services.Log($"session connection from {source} ended: {Describe(e)}");
        }
        catch (Exception e)
        {
            // A bug in one session must not take the agent (and every other session) down.
            _services.Log($"session connection from {source} failed unexpectedly ({e.GetType().Name}): {e.Message}");
        }
        finally
        {
            slot.Dispose();
            tcp.Dispose();
        }
    }

    private void Recheck(ClientPolicy policy)
    {
        foreach (var session in _live.Values)
        {
            session.Recheck(policy);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        _ => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message,
    };

    /// <summary>What an agent with no policy checks against: nothing passes.</summary>
    private static readonly ClientPolicy Unset = new(
        ClientPolicy.CurrentSchema, "", Guid.Empty, "", null, false, true, new PolicyAcl(true, []), new PolicyUnattended(false, false, null), 0,
        new PolicyTwoFactor(false, "SHA1", 6, 30, null), new PolicyPermissions(false, false, false, []), null, [], [], [],
        new PolicySessionSettings(true, true), 0, "");

    public void Dispose()
    {
        _services.Policy.Changed -= Recheck;
        _listener.Stop();
        _listener.Dispose();
    }
}

/// <summary>What every session of this agent shares.</summary>
/// <param name="Recordings">Where shell sessions are recorded (asciicast v2).</param>
/// <param name="Attended">Sessions waiting for someone at the machine (attended mode).</param>
/// <param name="Audit">Where session facts go (durably) before the agent acts on them.</param>
internal sealed record SessionServices(
    Guid ClientId, PolicyInForce Policy, RememberTokens RememberTokens, TotpCheck Totp, FailureLimiter Failures, TimeProvider Clock, Action<string> Log,
    string Recordings, AttendedRequests Attended, ISessionAudit Audit);
