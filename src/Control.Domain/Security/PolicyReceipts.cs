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

    /// <summary>The receipt for the policy the agent enforces, both parts digested as it verified them.</summary>
    public static PolicyAcknowledgement Sign(ECDsa clientKey, Guid clientId, SignedPolicy enforced)
    {
        var (client, organization) = (enforced.Client.Policy, enforced.Organization.Policy);
        return Sign(
            clientKey, clientId, client.Revision, Digest(PolicySignature.CanonicalBytes(client)), organization.Revision,
            Digest(PolicySignature.CanonicalBytes(organization)));
    }

    /// <summary>The receipt for the parts named by their revisions and digests (the agent's receipt once they are computed).</summary>
    public static PolicyAcknowledgement Sign(
        ECDsa clientKey, Guid clientId, long clientRevision, string clientDigest, long organizationRevision, string organizationDigest)
    {
        var signature = clientKey.SignData(
            Text(clientId, clientRevision, organizationRevision, clientDigest, organizationDigest), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new PolicyAcknowledgement(
            clientRevision + organizationRevision, clientRevision, organizationRevision, clientDigest, organizationDigest, Convert.ToBase64String(signature));
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
