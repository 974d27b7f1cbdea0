using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: anyone who can reach the agent's session port, with a certificate the organization never issued. Threat:
/// amplification: each refused handshake used to become an fsync'd audit event on the agent, a chain entry in the API and
/// a syslog line, as fast as they can dial. Refused handshakes are counted: one report per source and minute.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HandshakeFloodTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const int Handshakes = 200;
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.3");
    private AttackStage? _stage;

    [Fact]
    public async Task TwoHundredRefusedHandshakesInAMinute_AreOneAuditEventWithTheirCount()
    {
        _stage = await AttackStage.SetUpAsync(api);
        var port = _stage.SessionPort;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var forged = new CertificateRequest("CN=mallory@acme", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        for (var i = 0; i < Handshakes; i++)
        {
            await RefusedHandshakeAsync(new IPEndPoint(IPAddress.Loopback, port), forged);
        }

        await _stage.WaitFor(
            async () => (await Reports()).Count > 0 || (await Events("SessionDenied")).Count >= Handshakes,
            "the agent's report of the refused handshakes (at most a minute and a few seconds)", TimeSpan.FromSeconds(120));

        var report = Assert.Single(await Reports());
        Assert.Equal(Attacker.ToString(), report.Data.GetProperty("source").GetString());
        Assert.Equal(Handshakes, report.Data.GetProperty("count").GetInt32());
        Assert.Empty(await Events("SessionDenied"));
        var history = (await _stage.Alice.RunAsync("sessions", "list", "--client", "desk")).ShouldExit(0, () => _stage.Logs);
        Assert.Contains($"{Handshakes} TLS handshakes refused", history.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A TLS 1.3 handshake from <see cref="Attacker"/> with a certificate of nobody's CA, until the agent hangs up.</summary>
    private static async Task RefusedHandshakeAsync(IPEndPoint agent, X509Certificate2 certificate)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(Attacker, 0));
        await socket.ConnectAsync(agent).WaitAsync(AttackStage.Bounded);
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "control-agent",
                ClientCertificates = [certificate],
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
#pragma warning disable CA5359 // this is the attacker's client: it does not care who the agent is
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
            }).WaitAsync(AttackStage.Bounded);

            // With TLS 1.3 the agent's refusal of the client certificate arrives on the first read.
            await ssl.ReadAsync(new byte[1]).AsTask().WaitAsync(AttackStage.Bounded);
        }
        catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
        {
        }
    }

    private async Task<List<AuditEventView>> Reports() => await Events("SessionHandshakesRefused");

    private async Task<List<AuditEventView>> Events(string type)
    {
        var run = (await _stage!.Alice.RunAsync("audit", "events", "--type", type, "--all", "--json")).ShouldExit(0, () => _stage.Logs);
        return JsonSerializer.Deserialize<List<AuditEventView>>(run.Stdout, AttackStage.Json)!;
    }

    public void Dispose() => _stage?.Agent.Dispose();
}
