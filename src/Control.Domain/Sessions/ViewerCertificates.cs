using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Domain.Contracts;

namespace Control.Domain.Sessions;

/// <summary>
/// What the agent requires of the certificate a viewer presents in the TLS handshake: issued by the organization's
/// viewer CA that the signed policy carries, valid now, for client authentication, not revoked, and naming an alias in
/// the organization's namespace (<c>urn:control:viewer:alice@acme</c> in the subject alternative names).
/// </summary>
public static class ViewerCertificates
{
    public const string AliasUriPrefix = "urn:control:viewer:";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Why the certificate is refused (for the audit trail), or null with the viewer's verified alias.</summary>
    public static string? Check(X509Certificate2? presented, ClientPolicy policy, DateTimeOffset now, out string alias)
    {
        alias = "";
        if (presented is null)
        {
            return "no viewer certificate was presented";
        }

        if (policy.ViewerCa is null)
        {
            return "the policy in force names no viewer CA yet";
        }

        using var ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(policy.ViewerCa));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        // Revocation is the policy's list of serials, checked below; there is no CRL or OCSP endpoint to ask offline.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        if (!chain.Build(presented))
        {
            var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
            return $"certificate {presented.SerialNumber} does not chain to the organization's viewer CA or is not valid now ({status})";
        }

        if (chain.ChainElements.Count != 2 || !chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span))
        {
            return $"certificate {presented.SerialNumber} is not issued directly by the organization's viewer CA";
        }

        if (policy.RevokedViewerSerials.Contains(presented.SerialNumber, StringComparer.OrdinalIgnoreCase))
        {
            return $"certificate {presented.SerialNumber} is revoked";
        }

        var named = Alias(presented);
        if (named is null)
        {
            return $"certificate {presented.SerialNumber} names no viewer alias";
        }

        if (!named.EndsWith("@" + policy.Organization, StringComparison.Ordinal))
        {
            return $"certificate {presented.SerialNumber} names {named}, outside namespace {policy.Organization}";
        }

        alias = named;
        return null;
    }

    /// <summary>The alias in the certificate's <c>urn:control:viewer:</c> subject alternative name, or null.</summary>
    public static string? Alias(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions["2.5.29.17"];
        if (extension is null)
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            var uri = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (reader.HasData)
            {
                if (reader.PeekTag() == uri)
                {
                    var value = reader.ReadCharacterString(UniversalTagNumber.IA5String, uri);
                    if (value.StartsWith(AliasUriPrefix, StringComparison.Ordinal) && value.Length > AliasUriPrefix.Length)
                    {
                        return value[AliasUriPrefix.Length..].ToLowerInvariant();
                    }
                }
                else
                {
                    reader.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        return null;
    }

    /// <summary>SHA-256 of the certificate's public key (SubjectPublicKeyInfo), lower-case hex, as the directory publishes it.</summary>
    public static string KeyFingerprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
}
