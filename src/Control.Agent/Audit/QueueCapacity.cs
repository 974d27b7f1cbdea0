using Control.Domain.Sessions;

namespace Control.Agent.Audit;

/// <summary>What the session audit queue takes while the API does not drain it.</summary>
internal enum QueueVerdict
{
    Write,

    /// <summary>A report of refused handshakes, with the queue filling: dropped (the flood it reports is what fills it).</summary>
    Drop,

    /// <summary>The start of a new session, with the queue full: the session is refused, not admitted unaudited.</summary>
    RefuseNewSession,
}

/// <summary>
/// Bounds the bytes the session audit queue holds on disk, so that nobody who can reach the session port (nor an API
/// down for weeks) fills the machine's disk. Reports of refused handshakes stop first, at three quarters; at the full
/// bound new sessions are refused; every other fact (of a session whose request the queue took) is always written.
/// </summary>
internal sealed class QueueCapacity(long maxBytes)
{
    /// <summary>64 MiB: weeks of sessions of a busy machine, a few seconds of disk.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private long _bytes;

    public long MaxBytes => maxBytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public bool AcceptsNewSessions => Bytes < maxBytes;

    public QueueVerdict Admit(SessionEvent sessionEvent) => sessionEvent switch
    {
        SessionHandshakesRefused when Bytes >= maxBytes / 4 * 3 => QueueVerdict.Drop,
        SessionRequested when !AcceptsNewSessions => QueueVerdict.RefuseNewSession,
        _ => QueueVerdict.Write,
    };

    public void Added(long bytes) => Interlocked.Add(ref _bytes, bytes);

    public void Removed(long bytes) => Interlocked.Add(ref _bytes, -bytes);
}

/// <summary>The session audit queue is full: a new session is refused until the API has taken what waits.</summary>
internal sealed class QueueFullException(long bytes)
    : IOException($"the session audit queue is full ({bytes} bytes wait for the API); new sessions are refused until it drains");
