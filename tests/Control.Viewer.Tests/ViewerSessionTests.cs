using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Control.Viewer.Infrastructure;
using Control.Viewer.Sessions;

namespace Control.Viewer.Tests;

/// <summary>The viewer's pinning of the agent's key, and what it says when the agent refuses its certificate, against a real TLS server on loopback.</summary>
public sealed class ViewerSessionTests
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Connect_AgentKeyDiffersFromTheDirectory_IsRefusedBeforeAnythingIsSent()
    {
        using var agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var agentCertificate = SelfSigned(agentKey, "CN=123456789");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = ServeOnceAsync(listener, agentCertificate);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var directory = Entry(((IPEndPoint)listener.LocalEndpoint).Port, Convert.ToHexStringLower(SHA256.HashData(otherKey.ExportSubjectPublicKeyInfo())));
        using var viewerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var identity = SelfSigned(viewerKey, "CN=alice@acme");

        var failure = await Assert.ThrowsAsync<CliException>(() => ViewerSession.ConnectAsync(directory, identity, CancellationToken.None).WaitAsync(Bounded));

        Assert.Contains("is not client 123456789", failure.Message, StringComparison.Ordinal);
        Assert.Contains(ViewerCertificates.KeyFingerprint(agentCertificate), failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, await received.WaitAsync(Bounded));
    }

    [Fact]
    public async Task Connect_AgentKeyMatchesTheDirectory_NegotiatesTls13WithAnAeadSuite()
    {
        using var agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var agentCertificate = SelfSigned(agentKey, "CN=123456789");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var served = ServeOnceAsync(listener, agentCertificate);
        var directory = Entry(((IPEndPoint)listener.LocalEndpoint).Port, ViewerCertificates.KeyFingerprint(agentCertificate));
        using var viewerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var identity = SelfSigned(viewerKey, "CN=alice@acme");

        await using var session = await ViewerSession.ConnectAsync(directory, identity, CancellationToken.None).WaitAsync(Bounded);

        Assert.Contains("connection mode: TLS 1.3, TLS_", session.ConnectionMode().First(), StringComparison.Ordinal);
        await session.DisposeAsync();
        await served.WaitAsync(Bounded);
    }

    [Fact]
    public async Task Authenticate_AgentRefusesTheViewerCertificate_SaysTheCertificateWasRefusedNotThatTheSessionWasCut()
    {
        using var agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var agentCertificate = SelfSigned(agentKey, "CN=123456789");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var served = ServeOnceAsync(listener, agentCertificate, acceptViewer: false);
        var directory = Entry(((IPEndPoint)listener.LocalEndpoint).Port, ViewerCertificates.KeyFingerprint(agentCertificate));
        using var viewerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var identity = SelfSigned(viewerKey, "CN=alice@acme");
        var credentials = new SessionCredentials(() => "", () => "", null, false, null, "test", _ => { });

        // With TLS 1.3 the refusal usually arrives after the viewer's side of the handshake is done; either way the viewer names it.
        var failure = await Assert.ThrowsAsync<CliException>(async () =>
        {
            await using var session = await ViewerSession.ConnectAsync(directory, identity, CancellationToken.None).WaitAsync(Bounded);
            await session.AuthenticateAsync(credentials, CancellationToken.None).WaitAsync(Bounded);
        });

        Assert.Contains("the agent refuses viewer certificates that are expired, revoked", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("was cut", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, await served.WaitAsync(Bounded));
    }

    private static DirectoryEntry Entry(int port, string fingerprint) =>
        new(Guid.NewGuid(), "123456789", "desk@acme", "127.0.0.1", port, fingerprint, true, DateTimeOffset.UtcNow);

    private static X509Certificate2 SelfSigned(ECDsa key, string subject) =>
        new CertificateRequest(subject, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

    /// <summary>Accepts one TLS connection; returns how many application bytes the client sent before going away.</summary>
    private static async Task<int> ServeOnceAsync(TcpListener listener, X509Certificate2 certificate, bool acceptViewer = true)
    {
        using var tcp = await listener.AcceptTcpClientAsync();
        await using var ssl = new SslStream(tcp.GetStream());
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = certificate,
                ClientCertificateRequired = true,
                // This stand-in agent checks only that a viewer certificate came (the real checks have tests of their own).
                RemoteCertificateValidationCallback = (_, client, _, _) => acceptViewer && client is not null,
            });
            var buffer = new byte[4096];
            var total = 0;
            int read;
            while ((read = await ssl.ReadAsync(buffer)) > 0)
            {
                total += read;
            }

            return total;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return 0;
        }
    }
}
