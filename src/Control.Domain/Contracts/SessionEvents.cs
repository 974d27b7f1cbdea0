using System.Text.Json;

namespace Control.Domain.Contracts;

// Session events are facts the agent authors (Control.Domain.Sessions), and their shapes are already a permanent contract.
// So the wire carries an envelope around them rather than a second, parallel set of DTOs: the idempotency id the agent gave
// the fact when it queued it, the event's type name, and the event itself as JSON. The API binds the JSON to the named
// domain type only after checking the name against the closed list of session events, so the envelope cannot smuggle in
// any other event type, and the agent's queue line on disk is exactly one of these items (what is sent is what was written).

/// <summary>One queued session fact: <paramref name="Id"/> makes resending it harmless (the API appends each id once).</summary>
/// <param name="Type">The event's type name, e.g. <c>SessionRequested</c>.</param>
/// <param name="Event">The event, serialized with the web defaults (camelCase).</param>
public sealed record AgentSessionEvent(Guid Id, string? Type, JsonElement Event);

/// <summary><c>POST /agent/session-events</c>: at most <see cref="MaxEvents"/> events, in the order they happened.</summary>
public sealed record AgentSessionEventBatch(IReadOnlyList<AgentSessionEvent>? Events)
{
    public const int MaxEvents = 200;
}

/// <summary>The ids now stored (appended by this request or already known): the agent may forget them.</summary>
public sealed record AgentSessionEventsAccepted(IReadOnlyList<Guid> Accepted);

/// <summary>A file of a session (<c>SessionFileTransferred</c>).</summary>
public sealed record SessionFileView(string Direction, string Path, long Size, string Sha256, DateTimeOffset At);

/// <summary>One session as <c>GET /sessions</c> and <c>GET /sessions/{id}</c> show it.</summary>
public sealed record SessionSummaryView(
    Guid SessionId, Guid ClientId, string? ClientNumber, string? ClientAlias, string? ViewerAlias, string? Source, string? Justification,
    DateTimeOffset? RequestedAt, DateTimeOffset? AuthenticatedAt, DateTimeOffset? ClosedAt, long? DurationMilliseconds,
    IReadOnlyList<string> Methods, IReadOnlyList<string> Channels, IReadOnlyList<SessionFileView> Files, string? DeniedReason,
    string? EndedBy, string? EndReason, long BytesFromViewer, long BytesToViewer, bool Live, bool HasRecording, string? Login = null);
