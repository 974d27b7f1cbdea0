namespace Control.Domain.Sessions;

// The facts of a session, as the agent that enforced it reports them. One stream per session (its id); the API appends
// each exactly once (the agent queues them on disk and resends until acknowledged). Permanent contract: add, never rename.

/// <summary>Any fact about a session: which session, on which client, when.</summary>
public abstract record SessionEvent(Guid SessionId, Guid ClientId, DateTimeOffset At);

/// <summary>A viewer completed the TLS handshake with a verified certificate and asked for a session.</summary>
public sealed record SessionRequested(
    Guid SessionId, Guid ClientId, string ViewerAlias, string CertificateSerial, string Source, string TlsProtocol, string CipherSuite,
    string? Justification, DateTimeOffset At) : SessionEvent(SessionId, ClientId, At);

/// <summary>The agent refused a session (or a TLS handshake: then <paramref name="ViewerAlias"/> may be unknown) and why. The viewer was told only "denied".</summary>
public sealed record SessionDenied(Guid SessionId, Guid ClientId, string? ViewerAlias, string Source, string Reason, DateTimeOffset At)
    : SessionEvent(SessionId, ClientId, At);

/// <summary>The viewer was admitted, by these methods (access control list, unattended password, remember-token, TOTP).</summary>
/// <param name="Login">The local account the session runs as (absent in events of agents before logins existed).</param>
public sealed record SessionAuthenticated(
    Guid SessionId, Guid ClientId, string ViewerAlias, IReadOnlyList<string> Methods, string? RememberTokenId, DateTimeOffset At, string? Login = null)
    : SessionEvent(SessionId, ClientId, At);

/// <summary>After a password login the agent issued a remember-token (its id; the token itself stays with the viewer).</summary>
public sealed record RememberTokenIssued(Guid SessionId, Guid ClientId, string ViewerAlias, string TokenId, string? Device, long TokenEpoch, DateTimeOffset At)
    : SessionEvent(SessionId, ClientId, At);

/// <summary>A channel was opened (exec, shell, file transfer), or refused with the reason.</summary>
public sealed record SessionChannelOpened(Guid SessionId, Guid ClientId, string Channel, string Detail, string? RefusedBecause, DateTimeOffset At)
    : SessionEvent(SessionId, ClientId, At);

/// <summary>A file crossed the session, verified by its SHA-256 at both ends.</summary>
public sealed record SessionFileTransferred(
    Guid SessionId, Guid ClientId, string Direction, string Path, long Size, string Sha256, DateTimeOffset At) : SessionEvent(SessionId, ClientId, At);

/// <summary>
/// A part of a shell session's recording (asciicast v2), sealed by the agent while the session runs (every few seconds
/// and at the end): where it sits in the recording and its SHA-256. The audit chain covers the hash, so the part the API
/// stores must be exactly this one, and a recording is evidence from its first part on, not only after the session.
/// </summary>
/// <param name="Final">The session's last part: the recording is complete once every part up to this one is stored.</param>
public sealed record SessionRecordingPart(
    Guid SessionId, Guid ClientId, int Index, long Offset, long Length, string Sha256, bool Final, DateTimeOffset At) : SessionEvent(SessionId, ClientId, At)
{
    /// <summary>The event for a part whose bytes are all at hand.</summary>
    public static SessionRecordingPart Of(Guid sessionId, Guid clientId, int index, long offset, byte[] content, bool final, DateTimeOffset at) =>
        new(sessionId, clientId, index, offset, content.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), final, at);
}

/// <summary>The session is over: who ended it (viewer, agent, policy, operator) and why, how long it lasted, bytes each way.</summary>
public sealed record SessionClosed(
    Guid SessionId, Guid ClientId, string EndedBy, string? Reason, long DurationMilliseconds, long BytesFromViewer, long BytesToViewer, DateTimeOffset At)
    : SessionEvent(SessionId, ClientId, At);

/// <summary>
/// TLS handshakes from one source that the agent refused within one window of at most a minute (a certificate it did not
/// accept, or too many connections or handshakes from that source at once), counted instead of reported one by one: a
/// flood of refused handshakes costs one event per source and minute. <paramref name="SessionId"/> names the stream
/// this report starts; no session was admitted. <paramref name="Reasons"/> counts each reason.
/// </summary>
public sealed record SessionHandshakesRefused(
    Guid SessionId, Guid ClientId, string Source, int Count, IReadOnlyDictionary<string, int> Reasons, DateTimeOffset FirstAt, DateTimeOffset At)
    : SessionEvent(SessionId, ClientId, At);
