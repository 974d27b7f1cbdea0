using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Control.EndToEnd.Tests;

/// <summary>The API serving HTTPS itself with Kestrel's standard certificate settings (PEM certificate and key files).</summary>
public sealed class ApiHttpsTests(HttpsApiProcess api) : IClassFixture<HttpsApiProcess>
{
    [Fact]
    public async Task HealthLive_OverTlsWithTheConfiguredCertificate_Answers200()
    {
        using var trusted = X509CertificateLoader.LoadCertificateFromFile(api.CertificateFile);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // Trust exactly the configured certificate as the root, and check the chain and the name as usual.
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { trusted } },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(api.HttpsServer, "/health/live"));
        }
        catch (HttpRequestException e)
        {
            throw new Xunit.Sdk.XunitException($"{api.HttpsServer}: {e.Message}{Environment.NewLine}{api.Log}");
        }

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}

/// <summary>An API process whose configuration adds an HTTPS endpoint with a certificate of its own (and keeps the http one the fixture waits on).</summary>
public sealed class HttpsApiProcess : ApiProcess
{
    public Uri HttpsServer { get; private set; } = null!;

    public string CertificateFile => Path.Combine(Root, "api.crt");

    private string KeyFile => Path.Combine(Root, "api.key");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());

        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            HttpsServer = new Uri($"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        }

        return
        [
            new("Kestrel__Endpoints__Http__Url", Server.ToString().TrimEnd('/')),
            new("Kestrel__Endpoints__Https__Url", HttpsServer.ToString().TrimEnd('/')),
            new("Kestrel__Endpoints__Https__Certificate__Path", CertificateFile),
            new("Kestrel__Endpoints__Https__Certificate__KeyPath", KeyFile),
        ];
    }
}
