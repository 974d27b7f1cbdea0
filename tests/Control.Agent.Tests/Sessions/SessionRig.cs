using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Agent.Sessions;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;

namespace Control.Agent.Tests.Sessions;

/// <summary>
/// A real <see cref="SessionListener"/> on a loopback port with a fresh organization viewer CA, agent key and policy,
/// plus ways to dial it as a viewer (BCL SslStream) with certificates of any kind.
/// </summary>
internal sealed class SessionRig : IAsyncDisposable
{
    public static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);
    private const string Organization = "acme";

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "control-session-tests-" + Guid.NewGuid().ToString("N"));

    public SessionRig(Func<ClientPolicy, ClientPolicy>? adjust = null)
    {
        Directory.CreateDirectory(_directory);
        CaKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Ca = CreateCa(CaKey, "Control viewer CA acme");
        AgentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enrolment = new Enrolment("http://127.0.0.1:1", Guid.NewGuid(), "123456789", Organization, "desk@acme", "credential", "unused",
            PolicySignature.Fingerprint(Convert.ToBase64String(AgentKey.ExportSubjectPublicKeyInfo())), DateTimeOffset.UtcNow);
        Password = "correct-horse-battery";
        var verifier = Scram.CreateVerifier(Password, RandomNumberGenerator.GetBytes(16), Scram.MinimumIterations);
        var policy = new ClientPolicy(
            ClientPolicy.CurrentSchema, Organization, enrolment.ClientId, enrolment.ClientNumber, enrolment.Alias, true, false,
            new PolicyAcl(true, ["*@acme"]), new PolicyUnattended(true, false, new PolicyScramVerifier(verifier.Salt, verifier.Iterations, verifier.StoredKey, verifier.ServerKey)),
            1, new PolicyTwoFactor(false, "SHA1", 6, 30, null), new PolicyPermissions(true, true, true, [Control.EndToEnd.Tests.TestAccount.Name]),
            Convert.ToBase64String(Ca.RawData), [], [], [], new PolicySessionSettings(false, true), 1, "2026-11-29T00:00:00Z");
        Policy.Replace(adjust?.Invoke(policy) ?? policy);
        var state = new StateDirectory(_directory);
        Log = [];
        var services = new SessionServices(enrolment.ClientId, Policy, new RememberTokens(state), new TotpCheck(state, AgentKey, TimeProvider.System),
            new FailureLimiter(TimeProvider.System), TimeProvider.System, line => { lock (Log) { Log.Add(line); } }, state.RecordingsDirectory,
            new AttendedRequests(TimeProvider.System, TimeSpan.FromSeconds(2)), Audit);
        Services = services;
        AgentCertificateWithKey = AgentCertificate.Create(AgentKey, enrolment, DateTimeOffset.UtcNow);
        Listener = new SessionListener(new IPEndPoint(IPAddress.Loopback, 0), AgentCertificateWithKey, services);
        Listener.Start();
        _running = Listener.RunAsync(_stop.Token);
    }

    public ECDsa CaKey { get; }

    public X509Certificate2 Ca { get; }

    public ECDsa AgentKey { get; }

    public X509Certificate2 AgentCertificateWithKey { get; }

    public PolicyInForce Policy { get; } = new();

    public SessionServices Services { get; }

    /// <summary>What the sessions reported, in order (the durable queue has tests of its own).</summary>
    public RecordedAudit Audit { get; } = new();

    public SessionListener Listener { get; }

    public List<string> Log { get; }

    public string Password { get; }

    public int Port => Listener.LocalEndpoint.Port;

    public string AgentFingerprint => ViewerCertificates.KeyFingerprint(AgentCertificateWithKey);

    public string LogText
    {
        get
        {
            lock (Log)
            {
                return string.Join(Environment.NewLine, Log);
            }
        }
    }

    public static X509Certificate2 CreateCa(ECDsa key, string name)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    /// <summary>A viewer certificate (with its private key) for <paramref name="alias"/>, issued by <paramref name="issuer"/> (default: the organization's CA).</summary>
    public X509Certificate2 Viewer(string alias = "alice@acme", X509Certificate2? issuer = null, DateTimeOffset? notAfter = null, DateTimeOffset? notBefore = null)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={alias}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(ViewerCertificates.AliasUriPrefix + alias));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        // CreateSelfSigned certificates carry their private key: they can sign as they are.
        using var issued = request.Create(issuer ?? Ca, notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddHours(8), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>TLS as the viewer does it; throws when the agent refuses the handshake.</summary>
    public async Task<SslStream> DialAsync(X509Certificate2? viewer)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(Bounded);
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "123456789",
            EnabledSslProtocols = SessionTransport.Protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && ViewerCertificates.KeyFingerprint(new X509Certificate2(certificate)) == AgentFingerprint,
        };
        if (viewer is not null)
        {
            options.ClientCertificateContext = SslStreamCertificateContext.Create(viewer, null, offline: true);
        }

        try
        {
            await ssl.AuthenticateAsClientAsync(options).WaitAsync(Bounded);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Whether the agent kept the connection after the handshake (with TLS 1.3 a refused client certificate shows on the first read).</summary>
    public static async Task<bool> AgentHungUpAsync(SslStream ssl)
    {
        try
        {
            var socket = WebSocket.CreateFromStream(ssl, new WebSocketCreationOptions { IsServer = false, SubProtocol = SessionProtocol.SubProtocol });
            await socket.SendAsync(SessionProtocol.Serialize(new Hello(SessionProtocol.Version, null, null, false, null)), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Bounded);
            var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Bounded);
            return result.MessageType == WebSocketMessageType.Close;
        }
        catch (Exception e) when (e is IOException or WebSocketException or AuthenticationException or ObjectDisposedException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(Bounded);
        Listener.Dispose();
        AgentCertificateWithKey.Dispose();
        Ca.Dispose();
        CaKey.Dispose();
        AgentKey.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class RecordedAudit : ISessionAudit
{
    private readonly List<Control.Domain.Sessions.SessionEvent> _events = [];

    public IReadOnlyList<Control.Domain.Sessions.SessionEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Sealed recording parts, in the order they were sealed.</summary>
    public List<(Guid Session, int Index, string Path)> Recordings { get; } = [];

    public void Record(Control.Domain.Sessions.SessionEvent sessionEvent)
    {
        lock (_events)
        {
            _events.Add(sessionEvent);
        }
    }

    public void RecordingPartSealed(Guid sessionId, int index, string path)
    {
        lock (Recordings)
        {
            Recordings.Add((sessionId, index, path));
        }
    }
}

/// <summary>The viewer's end of the session protocol, bare, for tests that speak it message by message.</summary>
internal static class SessionWire
{
    public static WebSocket Socket(Stream ssl) =>
        WebSocket.CreateFromStream(ssl, new WebSocketCreationOptions { IsServer = false, SubProtocol = SessionProtocol.SubProtocol });

    public static Task Send(WebSocket socket, SessionMessage message) =>
        socket.SendAsync(SessionProtocol.Serialize(message), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(SessionRig.Bounded);

    public static async Task<SessionMessage> Receive(WebSocket socket)
    {
        var buffer = new byte[SessionProtocol.MaxControlMessageBytes];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(SessionRig.Bounded);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        return SessionProtocol.Deserialize(buffer.AsSpan(0, result.Count))!;
    }

    public static Task WaitFor(Func<bool> condition, SessionRig rig) =>
        Eventually.Until(condition, "the agent's side of the session", SessionRig.Bounded, () => $"agent log:{Environment.NewLine}{rig.LogText}");
}
