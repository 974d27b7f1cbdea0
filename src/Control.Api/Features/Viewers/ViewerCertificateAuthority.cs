using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Api.Infrastructure;
using Control.Domain.Organizations;
using Control.Domain.Security;

namespace Control.Api.Features.Viewers;

/// <summary>
/// Each organization's viewer CA: creates it (ECDSA P-256, self-signed, private key encrypted at rest like the
/// policy-signing key) and signs operators' short-lived viewer certificates with it, built with the BCL's
/// <see cref="CertificateRequest"/>. The decrypted CA is kept per process (decrypting costs more than signing).
/// </summary>
public sealed class ViewerCertificateAuthority(SecretProtector protector)
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3653);
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, X509Certificate2> _authorities = new();

    public static string PrivateKeyPurpose(Guid organizationId) => $"organization-viewer-ca/{organizationId:N}";

    public static string UriOf(string alias) => $"urn:control:viewer:{alias}";

    public ViewerCa NewCa(Guid organizationId, string slug, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(Name($"Control viewer CA {slug}", slug), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + CaValidity);
        return new ViewerCa(
            Convert.ToBase64String(certificate.RawData),
            protector.Protect(key.ExportPkcs8PrivateKey(), PrivateKeyPurpose(organizationId)));
    }

    /// <summary>A certificate for <paramref name="publicKeySpki"/> (a P-256 key, checked by the caller) naming <c>username@slug</c>.</summary>
    public X509Certificate2 Issue(Organization organization, string username, string publicKeySpki, DateTimeOffset now, TimeSpan lifetime)
    {
        var authority = Authority(organization);
        var alias = $"{username}@{organization.Slug}";
        var request = new CertificateRequest(
            Name(alias, organization.Slug), PublicKey.CreateFromSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpki), out _), HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuthentication)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(UriOf(alias)));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        return request.Create(authority, now - ClockSkew, now + lifetime, NewSerial());
    }

    public static string Fingerprint(string publicKeySpki) => PolicySignature.Fingerprint(publicKeySpki);

    private X509Certificate2 Authority(Organization organization)
    {
        var ca = organization.ViewerCa ?? throw new InvalidOperationException("The organization has no viewer CA yet.");
        return _authorities.GetOrAdd(ca.Certificate, _ =>
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(ca.Certificate));
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(protector.Unprotect(ca.ProtectedPrivateKey, PrivateKeyPurpose(organization.Id)), out int _);
            return certificate.CopyWithPrivateKey(key);
        });
    }

    // 16 random bytes, positive (top bit clear) and without a leading zero byte, so the DER integer keeps all 16 bytes
    // and X509Certificate2.SerialNumber prints exactly 32 hex digits.
    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    // Built, not parsed from a string, so nothing in a name can inject another attribute. Reads "CN=..., O=...".
    private static X500DistinguishedName Name(string commonName, string organization)
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(commonName);
        name.AddOrganizationName(organization);
        return name.Build();
    }
}
