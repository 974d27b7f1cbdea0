using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Control.Domain.Security;

/// <summary>
/// The canonical form of signed documents: RFC 8785 (JCS) for the subset Control uses — objects with members sorted
/// by UTF-16 code units, no whitespace, strings escaped as JCS prescribes, and integers only (a non-integer number
/// is rejected rather than risk a formatting mismatch between signer and verifier).
/// </summary>
public static class CanonicalJson
{
    public static byte[] Serialize(JsonNode? node) => Serialize(JsonSerializer.SerializeToUtf8Bytes(node));

    // Through JsonDocument rather than JsonNode: several times faster, which counts when one organization-wide change
    // re-signs (and every agent re-verifies) thousands of policies.
    public static byte[] Serialize<T>(T value, JsonSerializerOptions options) => Serialize(JsonSerializer.SerializeToUtf8Bytes(value, options));

    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> type) => Serialize(JsonSerializer.SerializeToUtf8Bytes(value, type));

    private static byte[] Serialize(byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var output = new ArrayBufferWriter<byte>(utf8Json.Length);
        Write(output, document.RootElement);
        return output.WrittenSpan.ToArray();
    }

    // Written straight to UTF-8, each member name read once: this runs once per client per policy change on the server
    // and once per policy on every agent, so it must cost well below the signature it feeds.
    private static void Write(ArrayBufferWriter<byte> output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    count++;
                }

                var names = new string[count];
                var values = new JsonElement[count];
                var i = 0;
                foreach (var member in element.EnumerateObject())
                {
                    names[i] = member.Name;
                    values[i++] = member.Value;
                }

                Array.Sort(names, values, StringComparer.Ordinal);
                Append(output, (byte)'{');
                for (i = 0; i < count; i++)
                {
                    if (i > 0)
                    {
                        Append(output, (byte)',');
                    }

                    WriteString(output, names[i]);
                    Append(output, (byte)':');
                    Write(output, values[i]);
                }

                Append(output, (byte)'}');
                break;
            case JsonValueKind.Array:
                Append(output, (byte)'[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        Append(output, (byte)',');
                    }

                    Write(output, item);
                }

                Append(output, (byte)']');
                break;
            case JsonValueKind.String:
                WriteString(output, element.GetString()!);
                break;
            case JsonValueKind.True:
                Append(output, "true"u8);
                break;
            case JsonValueKind.False:
                Append(output, "false"u8);
                break;
            case JsonValueKind.Null:
                Append(output, "null"u8);
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                integer.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
                output.Advance(written);
                break;
            default:
                throw new ArgumentException($"Canonical JSON here carries strings, booleans, null and integers only, not {element.ValueKind} '{element.GetRawText()}'.");
        }
    }

    private static void WriteString(ArrayBufferWriter<byte> output, string text)
    {
        Append(output, (byte)'"');
        var span = text.AsSpan();
        var run = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var escape = span[i] switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)span[i]).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                continue;
            }

            // Escapes are ASCII, so a run between two of them never splits a surrogate pair.
            AppendUtf8(output, span[run..i]);
            AppendUtf8(output, escape);
            run = i + 1;
        }

        AppendUtf8(output, span[run..]);
        Append(output, (byte)'"');
    }

    private static void AppendUtf8(ArrayBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var written = Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetByteCount(text)));
        output.Advance(written);
    }

    private static void Append(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void Append(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> value) => output.Write(value);
}
