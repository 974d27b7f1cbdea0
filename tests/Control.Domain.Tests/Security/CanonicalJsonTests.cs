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
}
