using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary>A viewer CA for tests: answers <c>POST /me/viewer-certificate</c> like the API, for whatever key is posted.</summary>
internal sealed class TestViewerCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestViewerCa(string organization = "acme")
    {
        var request = new CertificateRequest($"CN=Control viewer CA {organization}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Certificate { get; }

    public List<string> IssuedFor { get; } = [];

    public (HttpStatusCode, string) Issue(string requestBody, string alias, TimeSpan lifetime)
    {
        var posted = JsonSerializer.Deserialize<ViewerCertificateRequest>(requestBody, ApiClient.Json)!;
        using var subject = ECDsa.Create();
        subject.ImportSubjectPublicKeyInfo(Convert.FromBase64String(posted.PublicKey!), out _);
        IssuedFor.Add(posted.PublicKey!);
        var request = new CertificateRequest($"CN={alias}", subject, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(ViewerCertificates.AliasUriPrefix + alias));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var notAfter = DateTimeOffset.UtcNow + lifetime;
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddMinutes(-1), notAfter, RandomNumberGenerator.GetBytes(16).Select((b, i) => i == 0 ? (byte)(b & 0x7f) : b).ToArray());
        var response = new ViewerCertificateResponse(alias, issued.SerialNumber, Convert.ToBase64String(issued.RawData), Convert.ToBase64String(Certificate.RawData), notAfter);
        return (HttpStatusCode.OK, JsonSerializer.Serialize(response, ApiClient.Json));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
