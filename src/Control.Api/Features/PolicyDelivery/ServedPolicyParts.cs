using System.Collections.Concurrent;
using System.Security.Cryptography;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// The SHA-256 digests of the policy parts this process signed, per part (a client's id, an organization's id) and revision,
/// the last few revisions of each: a receipt counts only when it names, at those revisions, the very parts this API served
/// (see <see cref="PolicyReceipts"/>). A part's bytes differ from one signing to the next (its issue time, a 2FA seed
/// encrypted afresh), so the digests are those of what was served, never of a part composed again.
/// </summary>
public sealed class ServedPolicyParts
{
    /// <summary>Enough for a receipt that rides on the next poll while a change or two more are signed meanwhile.</summary>
    private const int RevisionsKept = 4;

    private readonly ConcurrentDictionary<Guid, (long Revision, string Digest)[]> _parts = new();

    public void Record(Guid part, long revision, byte[] canonicalBytes)
    {
        var digest = PolicyReceipts.Digest(canonicalBytes);
        _parts.AddOrUpdate(part, _ => [(revision, digest)], (_, known) => [(revision, digest), .. known.Take(RevisionsKept - 1)]);
    }

    /// <summary>
    /// Signed by the client's key, and neither part it names contradicts what this process served at that revision. A
    /// revision this process never signed (another API process served it, or this one before a restart) cannot be
    /// compared, and is taken on the agent's signature alone: dropping it would lose the only receipt the agent sends for
    /// that version (an offboarding would wait for it until its deadline).
    /// </summary>
    public bool Acknowledges(Client client, ECDsa clientKey, PolicyAcknowledgement receipt) =>
        PolicyReceipts.Verify(clientKey, client.Id, receipt)
        && Served(client.Id, receipt.ClientRevision, receipt.ClientDigest)
        && Served(client.OrganizationId, receipt.OrganizationRevision, receipt.OrganizationDigest);

    private bool Served(Guid part, long revision, string digest) =>
        !_parts.TryGetValue(part, out var known)
        || known.All(k => k.Revision != revision)
        || known.Any(k => k.Revision == revision && string.Equals(k.Digest, digest, StringComparison.Ordinal));
}
