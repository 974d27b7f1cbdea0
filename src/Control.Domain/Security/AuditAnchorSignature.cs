using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Control.Domain.Contracts;

namespace Control.Domain.Security;

/// <summary>
/// Signing and checking audit anchors with the organization's policy key: ECDSA P-256 / SHA-256 over a fixed text
/// (organization, entry, hash, time), signature in IEEE P1363 form, base64 - the same key and form as policies.
/// </summary>
public static class AuditAnchorSignature
{
    public static string Text(string organization, long entry, string hash, DateTimeOffset signedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"control-audit-anchor:v1:{organization}:{entry}:{hash}:{signedAt.ToUniversalTime():yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'}");

    public static AuditAnchor Sign(string organization, long entry, string hash, DateTimeOffset signedAt, ECDsa key, string keyId, string publicKey)
    {
        var at = new DateTimeOffset(signedAt.UtcTicks - (signedAt.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var signature = key.SignData(
            Encoding.UTF8.GetBytes(Text(organization, entry, hash, at)), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new AuditAnchor(organization, entry, hash, at, keyId, publicKey, Convert.ToBase64String(signature));
    }

    /// <summary>Whether <paramref name="anchor"/> was signed by the key <paramref name="publicKeySpki"/> (which the caller must trust).</summary>
    public static bool Verify(AuditAnchor anchor, string publicKeySpki)
    {
        try
        {
            using var key = PolicySignature.ImportPublicKey(publicKeySpki);
            return key.VerifyData(
                Encoding.UTF8.GetBytes(Text(anchor.Organization, anchor.Entry, anchor.Hash, anchor.SignedAt)),
                Convert.FromBase64String(anchor.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public static bool IsHash(string? hash) => hash is { Length: 64 } && hash.All(char.IsAsciiHexDigitLower);
}
