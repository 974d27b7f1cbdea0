using System.Globalization;
using System.Text;
using System.Text.Json;
using Control.Agent.Sessions;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Agent.Audit;

/// <summary>
/// The agent's write-ahead queue of session facts: nothing a session reported may be lost, whether the API is down for a
/// week or the agent is killed at any instruction.
/// </summary>
/// <remarks>
/// Layout (all files 0600): <c>{n}.jsonl</c> segments, each line one <see cref="AgentSessionEvent"/> (what is sent is
/// exactly what was written), and beside a segment being sent, <c>{n}.acked</c> with the byte offset up to which the
/// API acknowledged it (replaced atomically). <see cref="Record"/> appends and fsyncs before returning. The sender only
/// reads <em>sealed</em> segments: taking a batch closes the segment being written, so the next record opens a new one and
/// no file is ever read and appended at once. A fully acknowledged segment is deleted (then its offset file).
/// Kill points: before the fsync the caller has not been told "recorded"; after a 2xx but before the offset is written the
/// batch is sent again and the API, which appends each id once, just answers "known"; a segment deleted but its offset
/// file not yet is a stray offset file, removed at the next start. A process never appends to a segment of an earlier
/// process: a half-written last line there (killed mid-write) stays a lone torn tail that the reader skips, instead of
/// being glued to the next record. The bytes waiting are bounded (<see cref="QueueCapacity"/>).
/// </remarks>
internal sealed class SessionEventQueue : ISessionAudit, IDisposable
{
    private const string SegmentExtension = ".jsonl";
    private const string AckedExtension = ".acked";

    private readonly string _directory;
    private readonly string _recordings;
    private readonly string _open;
    private readonly Action<string> _log;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _work = new(0, 1);
    private readonly QueueCapacity _capacity;
    private FileStream? _segment;
    private long _nextSegment;

    public SessionEventQueue(string directory, string pendingRecordings, string openSessions, Action<string> log, long maxBytes = QueueCapacity.DefaultMaxBytes)
    {
        _capacity = new QueueCapacity(maxBytes);
        _directory = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        _recordings = pendingRecordings;
        _open = openSessions;
        _log = log;
        CreatePrivateDirectory(directory);
        CreatePrivateDirectory(pendingRecordings);
        CreatePrivateDirectory(openSessions);
        var segments = Segments().ToList();
        _nextSegment = segments.Count == 0 ? 1 : segments.Max(s => s.Number) + 1;
        _capacity.Added(segments.Sum(s => SizeOf(s.Path) - ReadAcked(s.Path)));
        foreach (var acked in Directory.EnumerateFiles(directory, "*" + AckedExtension))
        {
            if (!File.Exists(Path.ChangeExtension(acked, SegmentExtension)))
            {
                File.Delete(acked);
            }
        }
    }

    public static SessionEventQueue In(StateDirectory state, Action<string> log) =>
        new(state.SessionEventsDirectory, state.PendingRecordingsDirectory, state.OpenSessionsDirectory, log);

    public void Record(SessionEvent sessionEvent) => Record(sessionEvent, Guid.CreateVersion7());

    public bool AcceptsNewSessions => _capacity.AcceptsNewSessions;

    /// <summary>
    /// Closes, as ended by the agent, every session a previous run admitted and never closed (the process was killed, crashed
    /// or the machine went down mid-session): without this the session would read "live" forever. The close is dated at the
    /// session's last recorded activity and carries a fixed event id per session, so a kill during this recovery, or
    /// running it twice, still reports one close.
    /// </summary>
    public int CloseInterruptedSessions(DateTimeOffset now)
    {
        var closed = 0;
        foreach (var marker in Directory.EnumerateFiles(_open, "*.json").Order(StringComparer.Ordinal))
        {
            if (ReadMarker<OpenSession>(marker) is not { } open)
            {
                File.Delete(marker);
                continue;
            }

            var lastActive = new DateTimeOffset(File.GetLastWriteTimeUtc(marker), TimeSpan.Zero);
            var duration = (long)Math.Max(0, (lastActive - open.AuthenticatedAt).TotalMilliseconds);
            Record(
                new SessionClosed(open.SessionId, open.ClientId, "agent",
                    $"the agent stopped during the session (killed, crashed or the machine went down); last activity {lastActive:O}, noticed at the agent's restart {now:O}",
                    duration, 0, 0, lastActive),
                new Guid(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"interrupted:{open.SessionId}")).AsSpan(0, 16)));
            _log($"session {open.SessionId}: {open.ViewerAlias} was still open when the agent stopped; reported as ended by the agent");
            closed++;
        }

        return closed;
    }

    private void Record(SessionEvent sessionEvent, Guid id)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        switch (_capacity.Admit(sessionEvent))
        {
            case QueueVerdict.Drop:
                _log($"session audit: {_capacity.Bytes} bytes wait for the API (bound {_capacity.MaxBytes}); a {sessionEvent.GetType().Name} report was dropped");
                return;
            case QueueVerdict.RefuseNewSession:
                throw new QueueFullException(_capacity.Bytes);
        }

        var marker = Path.Combine(_open, $"{sessionEvent.SessionId}.json");

        // The marker goes first: a kill after it but before the event is a session closed at restart that had only been
        // requested, rather than an admitted one that reads "live" forever.
        if (sessionEvent is SessionAuthenticated admitted)
        {
            PrivateFile.WriteJson(marker, new OpenSession(admitted.SessionId, admitted.ClientId, admitted.ViewerAlias, admitted.At), AgentJsonLine);
        }

        var item = new AgentSessionEvent(
            id, sessionEvent.GetType().Name, JsonSerializer.SerializeToElement(sessionEvent, sessionEvent.GetType(), AgentJsonLine));
        var line = JsonSerializer.SerializeToUtf8Bytes(item, AgentJsonLine);
        lock (_gate)
        {
            try
            {
                _segment ??= OpenSegment(_nextSegment++);
                _segment.Write(line);
                _segment.WriteByte((byte)'\n');
                _segment.Flush(flushToDisk: true);
                _capacity.Added(line.Length + 1);
            }
            catch
            {
                // Whatever part of the line reached the file is a torn tail now: never append after it.
                _segment?.Dispose();
                _segment = null;
                throw;
            }
        }

        if (sessionEvent is SessionClosed)
        {
            File.Delete(marker);
        }
        else if (sessionEvent is not SessionAuthenticated && File.Exists(marker))
        {
            // The session's last sign of life, for the close a restart may have to report.
            File.SetLastWriteTimeUtc(marker, sessionEvent.At.UtcDateTime);
        }

        Signal();
    }

    public void RecordingPartSealed(Guid sessionId, int index, string path)
    {
        PrivateFile.WriteJson(MarkerOf(sessionId, index), new PendingRecording(sessionId, index, Path.GetFullPath(path)), AgentJsonLine);
        Signal();
    }

    private string MarkerOf(Guid sessionId, int index) => Path.Combine(_recordings, $"{sessionId}.{index:D6}.json");

    /// <summary>
    /// Up to <paramref name="max"/> unacknowledged events, oldest first, from the sealed segments. Lines that do not
    /// parse (a torn tail, a damaged disk block) are skipped, reported, and count as consumed.
    /// </summary>
    public QueueBatch Pending(int max)
    {
        long boundary;
        lock (_gate)
        {
            _segment?.Dispose();
            _segment = null;
            boundary = _nextSegment;
        }

        var events = new List<AgentSessionEvent>();
        var progress = new List<SegmentProgress>();
        foreach (var (number, path) in Segments().Where(s => s.Number < boundary).OrderBy(s => s.Number))
        {
            if (events.Count >= max)
            {
                break;
            }

            var start = ReadAcked(path);
            byte[] bytes;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                file.Seek(Math.Min(start, file.Length), SeekOrigin.Begin);
                bytes = new byte[file.Length - file.Position];
                file.ReadExactly(bytes);
            }

            var offset = 0;
            var complete = true;
            while (offset < bytes.Length)
            {
                if (events.Count >= max)
                {
                    complete = false;
                    break;
                }

                var newline = Array.IndexOf(bytes, (byte)'\n', offset);
                if (newline < 0)
                {
                    _log($"session audit: skipped a torn last line in {path} ({bytes.Length - offset} bytes; the agent was stopped while writing it)");
                    offset = bytes.Length;
                    break;
                }

                if (Parse(bytes.AsSpan(offset, newline - offset)) is { } item)
                {
                    events.Add(item);
                }
                else if (newline > offset)
                {
                    _log($"session audit: skipped an unreadable line at byte {start + offset} of {path}");
                }

                offset = newline + 1;
            }

            progress.Add(new SegmentProgress(path, start + offset, complete));
        }

        return new QueueBatch(events, progress);
    }

    /// <summary>The API stored every event of <paramref name="batch"/>: never send them again.</summary>
    public void Acknowledge(QueueBatch batch)
    {
        foreach (var segment in batch.Progress)
        {
            if (!string.Equals(Path.GetDirectoryName(segment.Path), _directory, StringComparison.Ordinal))
            {
                throw new ArgumentException($"{segment.Path} is not a segment of this queue", nameof(batch));
            }

            var acked = Path.ChangeExtension(segment.Path, AckedExtension);
            var before = ReadAcked(segment.Path);
            if (segment.Complete)
            {
                _capacity.Removed(SizeOf(segment.Path) - before);
                File.Delete(segment.Path);
                File.Delete(acked);
            }
            else
            {
                PrivateFile.WriteAtomically(acked, Encoding.ASCII.GetBytes(segment.Offset.ToString(CultureInfo.InvariantCulture)));
                _capacity.Removed(segment.Offset - before);
            }
        }
    }

    /// <summary>The API refused these for good (it will never take them): kept aside in <c>rejected.jsonl</c>, not resent.</summary>
    public void SetAside(QueueBatch batch)
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, UnixCreateMode = PrivateFile.OwnerOnly };
        using (var rejected = new FileStream(Path.Combine(_directory, "rejected.jsonl.kept"), options))
        {
            foreach (var item in batch.Events)
            {
                rejected.Write(JsonSerializer.SerializeToUtf8Bytes(item, AgentJsonLine));
                rejected.WriteByte((byte)'\n');
            }

            rejected.Flush(flushToDisk: true);
        }

        Acknowledge(batch);
    }

    public IReadOnlyList<PendingRecording> PendingRecordings()
    {
        var pending = new List<PendingRecording>();
        foreach (var marker in Directory.EnumerateFiles(_recordings, "*.json").Order(StringComparer.Ordinal))
        {
            var recording = ReadMarker<PendingRecording>(marker);
            if (recording is null || !File.Exists(recording.Path))
            {
                // Uploaded and deleted, killed before the marker went; or a marker that never parsed.
                File.Delete(marker);
                continue;
            }

            pending.Add(recording);
        }

        return pending;
    }

    /// <summary>The API stored the part: the local copy goes first, then its marker (a kill in between leaves a stale marker, dropped later).</summary>
    public void RecordingUploaded(PendingRecording recording)
    {
        File.Delete(recording.Path);
        File.Delete(MarkerOf(recording.SessionId, recording.Index));
    }

    /// <summary>The API refused the part for good: its marker is renamed (kept, no longer retried); the part stays on disk.</summary>
    public void RecordingRefused(PendingRecording recording)
    {
        var marker = MarkerOf(recording.SessionId, recording.Index);
        File.Move(marker, marker + ".refused", overwrite: true);
    }

    /// <summary>Waits until something is recorded, or the timeout.</summary>
    public async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellation) => await _work.WaitAsync(timeout, cancellation);

    public void Dispose()
    {
        lock (_gate)
        {
            _segment?.Dispose();
            _segment = null;
        }

        _work.Dispose();
    }

    private static JsonSerializerOptions AgentJsonLine => Domain.Security.PolicySignature.Json;

    /// <summary>A marker file's content, or null when it is gone or does not parse (a kill mid-write).</summary>
    private static T? ReadMarker<T>(string path)
        where T : class
    {
        try
        {
            return PrivateFile.ReadJson<T>(path, AgentJsonLine);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Signal()
    {
        lock (_gate)
        {
            if (_work.CurrentCount == 0)
            {
                _work.Release();
            }
        }
    }

    private FileStream OpenSegment(long number) => new(
        Path.Combine(_directory, $"{number:D16}{SegmentExtension}"),
        new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read, UnixCreateMode = PrivateFile.OwnerOnly });

    private IEnumerable<(long Number, string Path)> Segments()
    {
        foreach (var path in Directory.EnumerateFiles(_directory, "*" + SegmentExtension).Select(Path.GetFullPath))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                yield return (number, path);
            }
        }
    }

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static long ReadAcked(string segment)
    {
        try
        {
            var text = File.ReadAllText(Path.ChangeExtension(segment, AckedExtension));
            return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : 0;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
    }

    private static AgentSessionEvent? Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            var item = JsonSerializer.Deserialize<AgentSessionEvent>(line, AgentJsonLine);
            return item is { Type.Length: > 0 } && item.Id != Guid.Empty && item.Event.ValueKind == JsonValueKind.Object ? item : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

/// <summary>Events to send, and how far each segment read is consumed once they are acknowledged.</summary>
internal sealed record QueueBatch(IReadOnlyList<AgentSessionEvent> Events, IReadOnlyList<SegmentProgress> Progress)
{
    public bool IsEmpty => Events.Count == 0 && Progress.Count == 0;
}

/// <param name="Complete">Every line of the (sealed) segment is consumed: it can be deleted.</param>
internal sealed record SegmentProgress(string Path, long Offset, bool Complete);

/// <summary>A sealed recording part waiting for its upload (parts of a session go up in order: their markers sort so).</summary>
internal sealed record PendingRecording(Guid SessionId, int Index, string Path);

/// <summary>A session admitted and not yet closed: what a restart needs to report its end.</summary>
internal sealed record OpenSession(Guid SessionId, Guid ClientId, string ViewerAlias, DateTimeOffset AuthenticatedAt);
