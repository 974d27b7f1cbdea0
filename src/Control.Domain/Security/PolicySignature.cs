using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Control.Domain.Clients;
using Control.Domain.Contracts;

namespace Control.Domain.Security;

/// <summary>
/// Signing and verifying client policies: each of the two parts (the client's, the organization's) is signed with
/// ECDSA P-256 and SHA-256 over its canonical JSON, signature in IEEE P1363 form (r || s), base64. The server signs with
/// the organization's key; the agent verifies both parts with the public key it pinned at enrolment.
/// </summary>
public static class PolicySignature
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A part's canonical JSON (see <see cref="CanonicalJson"/>). Every change re-signs the parts it touches and every
    /// agent re-verifies them, so the usual case takes a shortcut: serialized with members in ordinal order and nothing
    /// escaped that need not be, a document whose only escapes are the two-character ones JCS also uses
    /// (\" \\ \b \f \n \r \t: a PEM certificate's line breaks) is already canonical (camelCase ASCII names, integers, raw
    /// UTF-8 text, no whitespace). Anything with a \u escape goes through the general canonicalizer. A test checks both
    /// ways give the same bytes.
    /// </summary>
    public static byte[] CanonicalBytes(ClientPolicyPart part) => CanonicalBytes(part, SortedClientPart, PolicyJsonContext.Default.ClientPolicyPart);

    /// <inheritdoc cref="CanonicalBytes(ClientPolicyPart)"/>
    public static byte[] CanonicalBytes(OrganizationPolicyPart part) =>
        CanonicalBytes(part, SortedOrganizationPart, PolicyJsonContext.Default.OrganizationPolicyPart);

    private static byte[] CanonicalBytes<T>(T part, JsonTypeInfo<T> sorted, JsonTypeInfo<T> general)
    {
        var direct = JsonSerializer.SerializeToUtf8Bytes(part, sorted);
        return OnlyShortEscapes(direct) ? direct : CanonicalJson.Serialize(part, general);
    }

    private static bool OnlyShortEscapes(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOf((byte)'\\'); at >= 0; at = json.IndexOf((byte)'\\'))
        {
            if (at + 1 >= json.Length || json[at + 1] is not ((byte)'"' or (byte)'\\' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'))
            {
                return false;
            }

            json = json[(at + 2)..];
        }

        return true;
    }

    private static readonly JsonSerializerOptions SortedOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = PolicyJsonContext.Default.WithAddedModifier(SortMembersOrdinally),
    };

    private static readonly JsonTypeInfo<ClientPolicyPart> SortedClientPart = (JsonTypeInfo<ClientPolicyPart>)SortedOptions.GetTypeInfo(typeof(ClientPolicyPart));

    private static readonly JsonTypeInfo<OrganizationPolicyPart> SortedOrganizationPart =
        (JsonTypeInfo<OrganizationPolicyPart>)SortedOptions.GetTypeInfo(typeof(OrganizationPolicyPart));

    private static void SortMembersOrdinally(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var sorted = type.Properties.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        type.Properties.Clear();
        foreach (var property in sorted)
        {
            type.Properties.Add(property);
        }
    }

    /// <summary>Signs a part whose canonical bytes the caller already holds (and uses again, e.g. in the response body).</summary>
    public static SignedPolicyPart<T> Sign<T>(T part, byte[] canonicalBytes, ECDsa key, string keyId)
        where T : class =>
        new(part, Convert.ToBase64String(key.SignData(canonicalBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)), keyId);

    public static SignedPolicy Sign(ClientPolicyPart client, OrganizationPolicyPart organization, ECDsa key, string keyId) =>
        new(Sign(client, CanonicalBytes(client), key, keyId), Sign(organization, CanonicalBytes(organization), key, keyId));

    /// <summary>Signs parts that combine into exactly this policy (<see cref="PolicyComposer.Split"/>): for tools and tests.</summary>
    public static SignedPolicy Sign(ClientPolicy policy, ECDsa key, string keyId)
    {
        var (client, organization) = PolicyComposer.Split(policy);
        return Sign(client, organization, key, keyId);
    }

    public static bool Verify(SignedPolicy signed, string publicKeySpki)
    {
        using var key = ImportPublicKey(publicKeySpki);
        return Verify(signed, key);
    }

    /// <summary>
    /// Both parts verify with the key, and they belong together (the same organization). Verification with an already
    /// imported key (importing costs more than verifying: keep pinned keys loaded).
    /// </summary>
    public static bool Verify(SignedPolicy signed, ECDsa publicKey) => Verify(signed, publicKey, verified: null);

    /// <summary>
    /// As <see cref="Verify(SignedPolicy, ECDsa)"/>, where a part identical to the same part of a policy verified before
    /// (same canonical bytes, same signature) is not verified again: after an organization-wide change the client's part
    /// is unchanged, and comparing bytes costs a fraction of an ECDSA verification.
    /// </summary>
    public static bool Verify(SignedPolicy signed, ECDsa publicKey, SignedPolicy? verified) =>
        signed.IsComplete
        && string.Equals(signed.Client.Policy.Organization, signed.Organization.Policy.Organization, StringComparison.Ordinal)
        && Verify(CanonicalBytes(signed.Client.Policy), signed.Client.Signature, publicKey,
            verified is { IsComplete: true } ? (verified.Client.Signature, () => CanonicalBytes(verified.Client.Policy)) : null)
        && Verify(CanonicalBytes(signed.Organization.Policy), signed.Organization.Signature, publicKey,
            verified is { IsComplete: true } ? (verified.Organization.Signature, () => CanonicalBytes(verified.Organization.Policy)) : null);

    private static bool Verify(byte[] canonicalBytes, string signature, ECDsa publicKey, (string Signature, Func<byte[]> CanonicalBytes)? verified) =>
        verified is { } known && string.Equals(known.Signature, signature, StringComparison.Ordinal) && canonicalBytes.AsSpan().SequenceEqual(known.CanonicalBytes())
        || Verify(canonicalBytes, signature, publicKey);

    private static bool Verify(byte[] canonicalBytes, string signature, ECDsa publicKey)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return publicKey.VerifyData(canonicalBytes, bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public static ECDsa ImportPublicKey(string publicKeySpki)
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpki), out _);
        return key;
    }

    /// <summary>SHA-256 of a public key's SubjectPublicKeyInfo, lower-case hex: the fingerprint the directory and viewers pin.</summary>
    public static string Fingerprint(string publicKeySpki) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(publicKeySpki)));

    /// <summary>Whether the text is a P-256 public key in SubjectPublicKeyInfo form (what agents send at enrolment).</summary>
    public static bool IsP256PublicKey(string? publicKeySpki)
    {
        if (string.IsNullOrWhiteSpace(publicKeySpki) || publicKeySpki.Length > 512)
        {
            return false;
        }

        try
        {
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKeySpki), out _);
            return key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
