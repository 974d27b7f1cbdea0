using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>
/// Where a session reports its facts. <see cref="Record"/> returns only once the event is on disk (fsync'd), so a kill
/// right after it loses nothing; sending to the API happens later, in the background, until acknowledged.
/// </summary>
internal interface ISessionAudit
{
    /// <summary>Makes the event durable, then returns. Thread-safe. Throws <see cref="IOException"/> when the disk refuses it.</summary>
    void Record(SessionEvent sessionEvent);

    /// <summary>False while the audit queue is full: new sessions are refused (at the door) rather than admitted unaudited.</summary>
    bool AcceptsNewSessions => true;

    /// <summary>
    /// A sealed part of a shell session's recording at <paramref name="path"/> (its hash already recorded as a session
    /// event): upload it (durably, retrying, after the events) and delete it once stored.
    /// </summary>
    void RecordingPartSealed(Guid sessionId, int index, string path);
}
