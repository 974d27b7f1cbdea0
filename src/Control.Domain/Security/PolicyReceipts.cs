using System.Security.Cryptography;
using System.Text;
using Control.Domain.Contracts;

namespace Control.Domain.Security;

/// <summary>
/// An agent's receipt for the policy it enforces: its enrolment key (ECDSA P-256 / SHA-256, IEEE P1363) signs
/// <c>ack/v2:{client id}:{client revision}:{organization revision}:{client part SHA-256}:{organization part SHA-256}</c>,
/// each digest over the part's canonical JSON as the agent verified it. A version alone (the sum of the two revisions)
/// names no content: the same number is reached by other pairs of parts, and a receipt for it could stand for a policy the
/// agent never enforced. The API counts a receipt only when both digests are those of parts it served at those revisions.
/// </summary>
public static class PolicyReceipts
{
    /// <summary>SHA-256 of a part's canonical JSON, lowercase hex.</summary>
    public static string Digest(byte[] canonicalBytes) => Convert.ToHexStringLower(SHA256.HashData(canonicalBytes));

    public static PolicyAcknowledgement Sign(ECDsa clientKey, Guid clientId, SignedPolicy enforced)
    {
        var (client, organization) = (enforced.Client.Policy, enforced.Organization.Policy);
        var (clientDigest, organizationDigest) = (Digest(PolicySignature.CanonicalBytes(client)), Digest(PolicySignature.CanonicalBytes(organization)));
        var signature = clientKey.SignData(
            Text(clientId, client.Revision, organization.Revision, clientDigest, organizationDigest), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new PolicyAcknowledgement(
            client.Revision + organization.Revision, client.Revision, organization.Revision, clientDigest, organizationDigest, Convert.ToBase64String(signature));
    }

    /// <summary>Whether the receipt is signed by the client's enrolment key over what it names (the digests still need matching).</summary>
    public static bool Verify(ECDsa clientKey, Guid clientId, PolicyAcknowledgement receipt)
    {
        if (receipt.Version != receipt.ClientRevision + receipt.OrganizationRevision || receipt.ClientDigest is null || receipt.OrganizationDigest is null)
        {
            return false;
        }

        try
        {
            return clientKey.VerifyData(
                Text(clientId, receipt.ClientRevision, receipt.OrganizationRevision, receipt.ClientDigest, receipt.OrganizationDigest),
                Convert.FromBase64String(receipt.Signature ?? ""), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static byte[] Text(Guid clientId, long clientRevision, long organizationRevision, string clientDigest, string organizationDigest) =>
        Encoding.UTF8.GetBytes(FormattableString.Invariant($"ack/v2:{clientId:N}:{clientRevision}:{organizationRevision}:{clientDigest}:{organizationDigest}"));
}
