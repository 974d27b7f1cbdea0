using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Control.Domain.Security;

namespace Control.Domain.Tests.Security;

public class CanonicalJsonTests
{
    [Fact]
    public void Rfc8785_property_sorting_example()
    {
        // RFC 8785 section 3.2.3: members sorted by their UTF-16 code units.
        var input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
            + "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        var expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonNode.Parse(input))));
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonDocument.Parse(input).RootElement, JsonSerializerOptions.Default)));
    }

    [Fact]
    public void Rfc8785_string_escaping_example()
    {
        var input = "[\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\"]";
        Assert.Equal("[\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"]", Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonNode.Parse(input))));
        Assert.Equal(
            Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonNode.Parse(input))),
            Encoding.UTF8.GetString(CanonicalJson.Serialize(JsonDocument.Parse(input).RootElement, JsonSerializerOptions.Default)));
    }

    [Fact]
    public void Same_document_in_any_member_order_or_spacing_gives_the_same_bytes()
    {
        var a = JsonNode.Parse("{ \"b\": [1, 2, {\"y\": true, \"x\": null}], \"a\": \"x\" }");
        var b = JsonNode.Parse("{\"a\":\"x\",\"b\":[1,2,{\"x\":null,\"y\":true}]}");
        Assert.Equal(CanonicalJson.Serialize(a), CanonicalJson.Serialize(b));
        Assert.Equal("{\"a\":\"x\",\"b\":[1,2,{\"x\":null,\"y\":true}]}", Encoding.UTF8.GetString(CanonicalJson.Serialize(a)));
    }

    [Fact]
    public void Built_and_parsed_nodes_agree_and_fractions_are_refused()
    {
        var built = new JsonObject { ["version"] = 42L, ["on"] = true, ["name"] = "x" };
        Assert.Equal(CanonicalJson.Serialize(JsonNode.Parse(built.ToJsonString())), CanonicalJson.Serialize(built));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Serialize(JsonNode.Parse("{\"a\":1.5}")));
        Assert.Equal("{\"n\":-7}", Encoding.UTF8.GetString(CanonicalJson.Serialize(new { n = -7 }, new JsonSerializerOptions())));
    }

    [Fact]
    public void Utf8_writer_gives_the_bytes_of_the_plain_reference_implementation_for_awkward_strings()
    {
        // Agents and servers of different releases must agree byte for byte: compare with the straightforward
        // StringBuilder form (the previous implementation) on names and values full of escapes and non-ASCII text.
        var random = new Random(8785);
        var alphabet = "aZ09 \"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u20ac\ufb33\ud83d\ude00".ToCharArray();
        for (var round = 0; round < 200; round++)
        {
            string Text() => new(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var node = new JsonObject();
            for (var i = 0; i < 6; i++)
            {
                node[Text() + i] = i % 3 == 0 ? new JsonArray(Text(), random.NextInt64(long.MinValue, long.MaxValue), null, true) : Text();
            }

            Assert.Equal(Reference(JsonDocument.Parse(node.ToJsonString()).RootElement), Encoding.UTF8.GetString(CanonicalJson.Serialize(node)));
        }
    }

    private static string Reference(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(m => m.Name, StringComparer.Ordinal)
            .Select(m => ReferenceString(m.Name) + ":" + Reference(m.Value))) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Reference)) + "]",
        JsonValueKind.String => ReferenceString(element.GetString()!),
        JsonValueKind.Number => element.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => element.GetRawText(),
    };

    private static string ReferenceString(string text)
    {
        var output = new StringBuilder("\"");
        foreach (var ch in text)
        {
            output.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => "\\u" + ((int)ch).ToString("x4", System.Globalization.CultureInfo.InvariantCulture),
                _ => ch.ToString(),
            });
        }

        return output.Append('"').ToString();
    }
}
