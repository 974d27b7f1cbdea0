using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Control.Agent.Sessions;

/// <summary>
/// A shell session recorded in the asciicast v2 format (a JSON header line, then one <c>[seconds, "o", text]</c> line per
/// output chunk), playable with asciinema. Written to a private file as the session runs, so a crash loses nothing
/// already shown.
/// </summary>
internal sealed class ShellRecording : IDisposable
{
    private readonly FileStream _file;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Decoder _utf8 = new UTF8Encoding(false).GetDecoder();
    private readonly Lock _gate = new();

    public ShellRecording(string path, int columns, int rows, string term, DateTimeOffset startedAt)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = 2,
            ["width"] = columns,
            ["height"] = rows,
            ["timestamp"] = startedAt.ToUnixTimeSeconds(),
            ["env"] = new Dictionary<string, string> { ["TERM"] = term },
        }));
    }

    public string Path { get; }

    public void Output(ReadOnlySpan<byte> bytes) => Event("o", bytes);

    public void Resized(int columns, int rows) => Event("r", Encoding.ASCII.GetBytes($"{columns}x{rows}"));

    private void Event(string kind, ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            // Output may split a UTF-8 sequence between chunks: the decoder carries the partial character over.
            var chars = new char[_utf8.GetCharCount(bytes, flush: false)];
            _utf8.GetChars(bytes, chars, flush: false);
            var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            WriteLine(JsonSerializer.Serialize(new object[] { Math.Round(seconds, 6), kind, new string(chars) }));
        }
    }

    private void WriteLine(string line)
    {
        _file.Write(Encoding.UTF8.GetBytes(line + "\n"));
        _file.Flush(flushToDisk: false);
    }

    public void Dispose() => _file.Dispose();
}
