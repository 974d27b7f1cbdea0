namespace Control.Domain.Contracts;

/// <summary>
/// The result of recomputing an organization's audit hash chain: intact (entries, head hash) or the first broken link.
/// When an anchor was given, whether the recomputed chain still has the anchored hash at the anchored entry.
/// </summary>
public sealed record AuditChainVerification(
    string Organization, bool Intact, long Entries, string? Head, AuditChainBreak? Break, AuditAnchorCheck? Anchor, double Seconds);

/// <summary>
/// The first link that does not verify. <see cref="Problem"/> is one of <see cref="AuditChainProblems"/>;
/// <see cref="Fields"/> names the edited fields (e.g. data, headers, timestamp) when the row is still there.
/// </summary>
public sealed record AuditChainBreak(
    long Entry, string Problem, IReadOnlyList<string> Fields, long? Sequence, Guid? EventId, string? Type, Guid? StreamId,
    DateTimeOffset? Timestamp, long? OtherEntry, string Detail);

public static class AuditChainProblems
{
    public const string Edited = "edited";
    public const string Deleted = "deleted";
    public const string Swapped = "swapped";
    public const string Inserted = "inserted";
    public const string ChainAltered = "chain-altered";
}

public sealed record AuditAnchorCheck(long Entry, string Hash, bool Matches, string Detail);

/// <summary>
/// The chain's head at one moment, signed with the organization's policy key (ECDSA P-256, P1363, base64) so it can be
/// kept outside the system and checked later (see <c>Control.Domain.Security.AuditAnchorSignature</c>).
/// </summary>
public sealed record AuditAnchor(
    string Organization, long Entry, string Hash, DateTimeOffset SignedAt, string KeyId, string PublicKey, string Signature);
