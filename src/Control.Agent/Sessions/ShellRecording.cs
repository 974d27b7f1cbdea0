using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>
/// A shell session recorded in the asciicast v2 format (a JSON header line, then one <c>[seconds, "o", text]</c> line per
/// output chunk), playable with asciinema. The agent writes it from the terminal's primary side as the session runs, in
/// its own state directory (the session's login cannot reach it), and seals it in parts: when a part has been open for
/// <see cref="PartInterval"/> or holds <see cref="MaxPartBytes"/>, and at the end. Each sealed part's SHA-256 becomes a
/// session event (so the audit chain covers it) before the part is queued for upload, so the API holds the recording
/// while the session lasts, not only after it.
/// </summary>
internal sealed class ShellRecording : IDisposable
{
    public const int MaxPartBytes = 256 * 1024;
    public static readonly TimeSpan PartInterval = TimeSpan.FromSeconds(10);

    private readonly string _directory;
    private readonly Guid _sessionId;
    private readonly Guid _clientId;
    private readonly ISessionAudit _audit;
    private readonly TimeProvider _clock;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();
    private readonly Lock _gate = new();
    private readonly ITimer _sealing;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private FileStream? _part;
    private int _index;
    private long _offset;
    private long _partLength;
    private bool _finished;

    public ShellRecording(string directory, Guid sessionId, Guid clientId, int columns, int rows, string term, ISessionAudit audit, TimeProvider clock)
    {
        _directory = directory;
        _sessionId = sessionId;
        _clientId = clientId;
        _audit = audit;
        _clock = clock;
        Directory.CreateDirectory(directory);
        lock (_gate)
        {
            WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["version"] = 2,
                ["width"] = columns,
                ["height"] = rows,
                ["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds(),
                ["env"] = new Dictionary<string, string> { ["TERM"] = term },
            }));
        }

        _sealing = clock.CreateTimer(_ => SealIfWritten(), null, PartInterval, PartInterval);
    }

    public void Output(ReadOnlySpan<byte> bytes) => Event("o", bytes);

    public void Resized(int columns, int rows) => Event("r", Encoding.ASCII.GetBytes($"{columns}x{rows}"));

    private void Event(string kind, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            // Output may split a UTF-8 sequence between chunks: the decoder carries the partial character over.
            var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
            _utf8.GetChars(bytes, chars, flush: false);
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            WriteLine(JsonSerializer.Serialize(new object[] { Math.Round(seconds, 6), kind, new string(chars) }));
            if (_partLength >= MaxPartBytes)
            {
                Seal(final: false);
            }
        }
    }

    private void SealIfWritten()
    {
        lock (_gate)
        {
            if (!_finished && _partLength > 0)
            {
                Seal(final: false);
            }
        }
    }

    private void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        _part ??= new FileStream(PartPath(_index), new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _part.Write(bytes);
        _part.Flush(flushToDisk: false);
        _hash.AppendData(bytes);
        _partLength += bytes.Length;
    }

    /// <summary>Closes the current part, audits its hash (durably), then queues it for upload. Called under the gate.</summary>
    private void Seal(bool final)
    {
        var path = PartPath(_index);
        if (_part is null)
        {
            // Nothing written since the last part (only the end): an empty final part says the recording is complete.
            using (File.Create(path))
            {
            }
        }
        else
        {
            _part.Flush(flushToDisk: true);
            _part.Dispose();
            _part = null;
        }

        var sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
        _audit.Record(new SessionRecordingPart(_sessionId, _clientId, _index, _offset, _partLength, sha256, final, _clock.GetUtcNow()));
        _audit.RecordingPartSealed(_sessionId, _index, path);
        _offset += _partLength;
        _partLength = 0;
        _index++;
    }

    private string PartPath(int index) => Path.Combine(_directory, $"{_sessionId}.{index:D6}.cast-part");

    /// <summary>Seals the last part (final), so that the API knows the recording is whole.</summary>
    public void Dispose()
    {
        _sealing.Dispose();
        lock (_gate)
        {
            if (!_finished)
            {
                _finished = true;
                Seal(final: true);
            }
        }

        _hash.Dispose();
    }
}
