using System.Text.Json;

namespace Control.Domain.Contracts;

/// <summary>
/// One security-relevant event as the audit trail shows it: who, what, which stream, when, why, correlation, and a readable
/// <paramref name="Target"/> (the client, operator, person, custom client, license, session or offboarding the event concerns).
/// </summary>
public sealed record AuditEventView(
    long Sequence, Guid EventId, string Type, Guid StreamId, long Version, DateTimeOffset Timestamp,
    string? Actor, string? Reason, string? CorrelationId, JsonElement Data, string? Target = null);

public sealed record AuditEventPage(IReadOnlyList<AuditEventView> Items, string? NextCursor);

/// <summary>
/// One session as the session history shows it. <paramref name="Outcome"/> is <c>denied</c>, <c>ended</c>, <c>live</c> or
/// <c>requested</c>; <paramref name="RecordingUrl"/> is the path of the recording endpoint when the shell session was recorded.
/// </summary>
public sealed record SessionHistoryRow(
    Guid SessionId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long? DurationMilliseconds,
    Guid ClientId, string? ClientNumber, string? ClientAlias, string? ViewerAlias, Guid? PersonId, string? PersonName,
    string? Source, string? Justification, string Outcome, string? DeniedReason, string? EndedBy, string? EndReason,
    IReadOnlyList<string> Methods, IReadOnlyList<string> Channels, IReadOnlyList<SessionFileView> Files, string? RecordingUrl);

public sealed record SessionHistoryPage(IReadOnlyList<SessionHistoryRow> Items, string? NextCursor);
