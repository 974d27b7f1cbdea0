namespace Control.Api.Features.Receipts;

/// <summary>What the API knows of an agent's liveness: when it last asked for its policy, and which version it enforces (signed receipt).</summary>
public sealed class ClientPresence
{
    public Guid Id { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public string? LastSeenFrom { get; set; }
    public long? EnforcedVersion { get; set; }
    public DateTimeOffset? EnforcedAt { get; set; }

    /// <summary>The receipt's signature (base64, P-256 over <c>PolicyReceipts.Text</c>) with the client's enrolment key.</summary>
    public string? EnforcedSignature { get; set; }

    /// <summary>
    /// Online means seen within this window. A running agent is seen at least this often: it long-polls its policy (at
    /// most 60 s per poll) and sightings are recorded with a resolution of one minute (see
    /// <see cref="PresenceTracker"/>); the rest is slack. The address book, the dashboard and the directory all use it.
    /// </summary>
    public static readonly TimeSpan OnlineWindow = TimeSpan.FromMinutes(3);

    /// <summary>When the agent was last seen: the stored sighting, or a later one this process has not written yet.</summary>
    public static DateTimeOffset? LastSeen(ClientPresence? stored, DateTimeOffset? unwritten) =>
        stored?.LastSeenAt is not { } written ? unwritten : unwritten is not { } pending ? written : written > pending ? written : pending;

    public static bool IsOnline(DateTimeOffset? lastSeen, DateTimeOffset now) => lastSeen is { } seen && now - seen < OnlineWindow;
}
