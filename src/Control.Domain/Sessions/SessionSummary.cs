using System.Globalization;

namespace Control.Domain.Sessions;

/// <summary>A sealed part of the session's recording, as the agent audited it.</summary>
public sealed record SessionRecordingPartSummary(int Index, long Offset, long Length, string Sha256, bool Final);

/// <summary>A file that crossed a session.</summary>
public sealed record SessionFile(string Direction, string Path, long Size, string Sha256, DateTimeOffset At);

/// <summary>
/// One session folded from its stream: who asked, from where, why, how they got in (or why not), what they opened, which
/// files moved, and how it ended. Live means admitted and not yet closed.
/// </summary>
public sealed record SessionSummary
{
    public required Guid Id { get; init; }
    public required Guid ClientId { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public string? ViewerAlias { get; init; }
    public string? CertificateSerial { get; init; }
    public string? Source { get; init; }
    public string? Justification { get; init; }
    public DateTimeOffset? RequestedAt { get; init; }
    public DateTimeOffset? AuthenticatedAt { get; init; }
    public DateTimeOffset? DeniedAt { get; init; }
    public string? DeniedReason { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public long? DurationMilliseconds { get; init; }
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>The local account the session ran as on the client.</summary>
    public string? Login { get; init; }
    public IReadOnlyList<string> Channels { get; init; } = [];
    public IReadOnlyList<SessionFile> Files { get; init; } = [];

    /// <summary>The recording's parts the agent sealed, in order; the API stores only bytes matching these hashes.</summary>
    public IReadOnlyList<SessionRecordingPartSummary> RecordingParts { get; init; } = [];
    public string? EndedBy { get; init; }
    public string? EndReason { get; init; }
    public long BytesFromViewer { get; init; }
    public long BytesToViewer { get; init; }

    /// <summary>Stored for querying; always <c>AuthenticatedAt != null &amp;&amp; ClosedAt == null</c>.</summary>
    public bool Live { get; init; }

    public long Version { get; set; }

    public static SessionSummary? Evolve(SessionSummary? state, object @event)
    {
        if (@event is not SessionEvent e)
        {
            return state;
        }

        var current = state ?? new SessionSummary { Id = e.SessionId, ClientId = e.ClientId, StartedAt = e.At };
        var next = e switch
        {
            SessionRequested r => current with
            {
                ViewerAlias = r.ViewerAlias, CertificateSerial = r.CertificateSerial, Source = r.Source, Justification = r.Justification, RequestedAt = r.At,
            },
            SessionDenied d => current with
            {
                ViewerAlias = current.ViewerAlias ?? d.ViewerAlias, Source = current.Source ?? d.Source, DeniedAt = d.At, DeniedReason = d.Reason,
            },
            SessionHandshakesRefused h => current with
            {
                Source = h.Source, DeniedAt = h.At,
                DeniedReason = string.Create(CultureInfo.InvariantCulture, $"{h.Count} TLS handshakes refused since {h.FirstAt:O}: ")
                    + string.Join("; ", h.Reasons.OrderByDescending(r => r.Value).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} ({r.Value})"))),
            },
            SessionAuthenticated a => current with { ViewerAlias = current.ViewerAlias ?? a.ViewerAlias, AuthenticatedAt = a.At, Methods = a.Methods, Login = a.Login },
            SessionChannelOpened c when c.RefusedBecause is null => current with { Channels = [.. current.Channels, c.Channel] },
            SessionRecordingPart p when current.RecordingParts.All(x => x.Index != p.Index) => current with
            {
                RecordingParts = [.. current.RecordingParts, new SessionRecordingPartSummary(p.Index, p.Offset, p.Length, p.Sha256, p.Final)],
            },
            SessionFileTransferred f => current with { Files = [.. current.Files, new SessionFile(f.Direction, f.Path, f.Size, f.Sha256, f.At)] },
            SessionClosed c => current with
            {
                ClosedAt = c.At, DurationMilliseconds = c.DurationMilliseconds, EndedBy = c.EndedBy, EndReason = c.Reason,
                BytesFromViewer = c.BytesFromViewer, BytesToViewer = c.BytesToViewer,
            },
            _ => current,
        };
        return next with { Live = next.AuthenticatedAt is not null && next.ClosedAt is null };
    }
}
