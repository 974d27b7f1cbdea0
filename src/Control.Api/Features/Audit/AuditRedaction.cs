using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Control.Domain.Common;
using Npgsql;

namespace Control.Api.Features.Audit;

/// <summary>
/// Copies an event body token by token, replacing the values of secret fields (<see cref="SensitiveFields"/>) with
/// <c>[redacted]</c>. A forward-only copy rather than a parsed tree: exports run it on every row. One instance per reader:
/// the returned bytes are valid until the next call. Relaxed escaping keeps "+" and non-ASCII text readable in exports
/// (files and SIEMs, never HTML).
/// </summary>
public sealed class AuditRedaction : IDisposable
{
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private byte[] _input = new byte[1024];
    private readonly Utf8JsonWriter _writer;

    private readonly Dictionary<string, (string, bool)> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string, bool)>.AlternateLookup<ReadOnlySpan<char>> _names;

    public AuditRedaction()
    {
        _names = _known.GetAlternateLookup<ReadOnlySpan<char>>();
        _writer = new Utf8JsonWriter(_output, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public ReadOnlyMemory<byte> Redact(string json)
    {
        var length = Encoding.UTF8.GetBytes(json, Input(Encoding.UTF8.GetMaxByteCount(json.Length)));
        return Redact(_input.AsSpan(0, length));
    }

    /// <summary>The event body as raw UTF-8 from the database row (an export reads it so: no string per row).</summary>
    public ReadOnlyMemory<byte> Redact(NpgsqlDataReader row, int ordinal)
    {
        var length = (int)row.GetBytes(ordinal, 0, null, 0, 0);
        Input(length);
        row.GetBytes(ordinal, 0, _input, 0, length);
        return Redact(_input.AsSpan(0, length));
    }

    /// <summary>The input buffer, grown to hold at least <paramref name="length"/> bytes.</summary>
    private Span<byte> Input(int length)
    {
        if (_input.Length < length)
        {
            _input = new byte[Math.Max(length, _input.Length * 2)];
        }

        return _input;
    }

    private ReadOnlyMemory<byte> Redact(ReadOnlySpan<byte> json)
    {
        _output.ResetWrittenCount();
        _writer.Reset(_output);

        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    _writer.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    _writer.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    _writer.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    _writer.WriteEndArray();
                    break;
                case JsonTokenType.PropertyName:
                    var (name, sensitive) = Name(ref reader);
                    if (reader.ValueIsEscaped)
                    {
                        _writer.WritePropertyName(name);
                    }
                    else
                    {
                        _writer.WritePropertyName(reader.ValueSpan);
                    }

                    if (sensitive)
                    {
                        reader.Read();
                        reader.Skip();
                        _writer.WriteStringValue(SensitiveFields.Redacted);
                    }

                    break;
                case JsonTokenType.String when !reader.ValueIsEscaped:
                    // Unescaped, the raw bytes are the value: no string per value on the export's hot path.
                    _writer.WriteStringValue(reader.ValueSpan);
                    break;
                case JsonTokenType.String:
                    _writer.WriteStringValue(reader.GetString());
                    break;
                case JsonTokenType.Number:
                    _writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    _writer.WriteBooleanValue(reader.GetBoolean());
                    break;
                case JsonTokenType.Null:
                    _writer.WriteNullValue();
                    break;
            }
        }

        _writer.Flush();
        return _output.WrittenMemory;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The property's name and whether it is secret, decided once per distinct name (events have few).</summary>
    private (string Name, bool Sensitive) Name(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length <= 128)
        {
            Span<char> chars = stackalloc char[128];
            var length = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
            if (_names.TryGetValue(chars[..length], out var known))
            {
                return known;
            }
        }

        var name = reader.GetString()!;
        var entry = (name, SensitiveFields.IsSensitive(name));
        if (_known.Count < 4096)
        {
            _known[name] = entry;
        }

        return entry;
    }
}
