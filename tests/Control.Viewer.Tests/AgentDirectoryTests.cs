using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Control.Viewer.Infrastructure;
using Control.Viewer.Sessions;

namespace Control.Viewer.Tests;

/// <summary>
/// Where a session goes: a directory entry saved less than ten minutes ago is used without asking the API, and the API
/// is asked when the entry is stale, saved by another account, or no longer answers. Against a real TLS listener.
/// </summary>
public sealed class AgentDirectoryTests : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    private readonly TestConsole _console = new();
    private readonly TestViewerCa _ca = new();
    private readonly ECDsa _agentKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _agentCertificate;
    private readonly TcpListener _agent = new(IPAddress.Loopback, 0);
    private readonly Credentials _alice = Account("alice");

    public AgentDirectoryTests()
    {
        _agentCertificate = new CertificateRequest("CN=123456789", _agentKey, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        _agent.Start();
        var store = new CredentialStore(_console.ConfigDirectory);
        store.Save(_alice);
        using var viewerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        store.WritePrivate(ViewerIdentity.KeyFile, Encoding.ASCII.GetBytes(viewerKey.ExportPkcs8PrivateKeyPem()));
        var request = JsonSerializer.Serialize(new ViewerCertificateRequest(Convert.ToBase64String(viewerKey.ExportSubjectPublicKeyInfo())), ApiClient.Json);
        var issued = JsonSerializer.Deserialize<ViewerCertificateResponse>(_ca.Issue(request, "alice@acme", TimeSpan.FromHours(8)).Item2, ApiClient.Json)!;
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.Certificate));
        store.WritePrivate(ViewerIdentity.CertificateFile, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
    }

    [Fact]
    public async Task Connect_SavedEntryIsFresh_ConnectsWithoutAskingTheApi()
    {
        KnownClients.Remember(_console.Context, _alice, "desk", Entry(AgentPort));
        _console.Now += TimeSpan.FromMinutes(9);

        await ConnectAndServeAsync();

        Assert.Empty(_console.Server.Requests);
    }

    [Fact]
    public async Task Connect_SavedEntryIsStale_AsksTheDirectoryAgain()
    {
        KnownClients.Remember(_console.Context, _alice, "desk", Entry(AgentPort));
        _console.Now += AgentDirectory.FreshFor + TimeSpan.FromSeconds(1);
        _console.Server.On("GET /directory/desk", HttpStatusCode.OK, JsonSerializer.Serialize(Entry(AgentPort), ApiClient.Json));

        await ConnectAndServeAsync();

        Assert.Equal(["GET /directory/desk"], _console.Server.Requests.Select(r => r.Route));
    }

    [Fact]
    public async Task Connect_StaleEntryAndTheApiIsDown_UsesTheSavedEntryAndSaysSo()
    {
        KnownClients.Remember(_console.Context, _alice, "desk", Entry(AgentPort));
        _console.Now += TimeSpan.FromHours(1);
        _console.Server.On("GET /directory/desk", _ => throw new HttpRequestException("Connection refused"));

        await ConnectAndServeAsync();

        Assert.Contains("cannot be reached; using the directory entry for desk saved earlier", _console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_SavedEntryNoLongerAnswers_AsksTheDirectoryAndConnectsWhereItSays()
    {
        KnownClients.Remember(_console.Context, _alice, "desk", Entry(ClosedPort()));
        _console.Server.On("GET /directory/desk", HttpStatusCode.OK, JsonSerializer.Serialize(Entry(AgentPort), ApiClient.Json));

        await ConnectAndServeAsync();

        Assert.Equal(["GET /directory/desk"], _console.Server.Requests.Select(r => r.Route));
        Assert.Equal(AgentPort, KnownClients.Find(_console.Context, _alice, "desk")!.Entry.Port);
    }

    [Fact]
    public async Task Connect_EntrySavedByAnotherAccount_IsNotUsed()
    {
        KnownClients.Remember(_console.Context, Account("bob"), "desk", Entry(ClosedPort()));
        _console.Server.On("GET /directory/desk", HttpStatusCode.OK, JsonSerializer.Serialize(Entry(AgentPort), ApiClient.Json));

        await ConnectAndServeAsync();

        Assert.Equal(["GET /directory/desk"], _console.Server.Requests.Select(r => r.Route));
    }

    [Fact]
    public async Task Connect_FreshEntryButCertificateDueForRenewal_GoesThroughTheApi()
    {
        KnownClients.Remember(_console.Context, _alice, "desk", Entry(AgentPort));
        // Renewal is due ten minutes before the certificate expires (eight hours after it was issued).
        _console.Now += TimeSpan.FromHours(8) - TimeSpan.FromMinutes(5);
        _console.Server.On("GET /directory/desk", HttpStatusCode.OK, JsonSerializer.Serialize(Entry(AgentPort), ApiClient.Json));
        _console.Server.On("POST /me/viewer-certificate", body => _ca.Issue(body, "alice@acme", TimeSpan.FromHours(16)));

        await ConnectAndServeAsync();

        Assert.Equal(["GET /directory/desk", "POST /me/viewer-certificate"], _console.Server.Requests.Select(r => r.Route));
    }

    private int AgentPort => ((IPEndPoint)_agent.LocalEndpoint).Port;

    private async Task ConnectAndServeAsync()
    {
        var served = ServeOnceAsync();
        var context = _console.Context;
        using var api = SignedInApi.Open(context, null);
        await using (var session = await AgentDirectory.ConnectAsync(context, api, "desk", CancellationToken.None).WaitAsync(Bounded))
        {
            Assert.Equal(ViewerCertificates.KeyFingerprint(_agentCertificate), session.AgentFingerprint);
        }

        await served.WaitAsync(Bounded);
    }

    private DirectoryEntry Entry(int port) =>
        new(Guid.Parse("0198c2a4-0000-7000-8000-000000000001"), "123456789", "desk@acme", "127.0.0.1", port, ViewerCertificates.KeyFingerprint(_agentCertificate), true, DateTimeOffset.UtcNow);

    private static Credentials Account(string user) => new(
        new Uri("http://127.0.0.1:8080"), "acme", user, "owner", "access", DateTimeOffset.UtcNow.AddDays(1), "refresh", DateTimeOffset.UtcNow.AddDays(7));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A stand-in agent: one TLS connection with this agent's certificate, requiring a viewer certificate.</summary>
    private async Task ServeOnceAsync()
    {
        using var tcp = await _agent.AcceptTcpClientAsync();
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _agentCertificate,
            ClientCertificateRequired = true,
            // The real agent's checks of the viewer certificate have tests of their own.
            RemoteCertificateValidationCallback = (_, client, _, _) => client is not null,
        });
        var buffer = new byte[4096];
        try
        {
            while (await ssl.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The viewer hung up without a TLS close.
        }
    }

    public void Dispose()
    {
        _agent.Dispose();
        _agentCertificate.Dispose();
        _agentKey.Dispose();
        _ca.Dispose();
        _console.Dispose();
    }
}
