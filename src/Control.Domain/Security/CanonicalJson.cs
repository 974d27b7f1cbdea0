using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

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

    private static byte[] Serialize(byte[] utf8Json)
    {
        using var document = JsonDocument.Parse(utf8Json);
        var builder = new StringBuilder(1024);
        Write(builder, document.RootElement);
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static void Write(StringBuilder output, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = new List<JsonProperty>();
                foreach (var member in element.EnumerateObject())
                {
                    members.Add(member);
                }

                members.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                output.Append('{');
                for (var i = 0; i < members.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(',');
                    }

                    WriteString(output, members[i].Name);
                    output.Append(':');
                    Write(output, members[i].Value);
                }

                output.Append('}');
                break;
            case JsonValueKind.Array:
                output.Append('[');
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (index++ > 0)
                    {
                        output.Append(',');
                    }

                    Write(output, item);
                }

                output.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(output, element.GetString()!);
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                output.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"Canonical JSON here carries strings, booleans, null and integers only, not {element.ValueKind} '{element.GetRawText()}'.");
        }
    }

    private static void WriteString(StringBuilder output, string text)
    {
        output.Append('"');
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case < ' ': output.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: output.Append(ch); break;
            }
        }

        output.Append('"');
    }
}
