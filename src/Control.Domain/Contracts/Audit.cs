using System.Text.Json;

namespace Control.Domain.Contracts;

/// <summary>One security-relevant event as the audit trail shows it: who, what, which stream, when, why, correlation.</summary>
public sealed record AuditEventView(
    long Sequence, Guid EventId, string Type, Guid StreamId, long Version, DateTimeOffset Timestamp,
    string? Actor, string? Reason, string? CorrelationId, JsonElement Data);

public sealed record AuditEventPage(IReadOnlyList<AuditEventView> Items, string? NextCursor);
