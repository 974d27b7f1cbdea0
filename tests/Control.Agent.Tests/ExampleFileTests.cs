using System.Text.Json;
using Control.Agent.Storage;

namespace Control.Agent.Tests;

/// <summary>ops/control-agent.example.json documents the state files: it must name exactly the fields the agent writes.</summary>
public class ExampleFileTests
{
    private static readonly JsonElement Files = Load().GetProperty("files");

    [Fact]
    public void AgentJson_DocumentedFields_AreExactlyTheEnrolmentRecordsFields()
    {
        var written = FieldsOf(new Enrolment("https://x", Guid.NewGuid(), "1", "acme", null, "c", "k", "f", DateTimeOffset.UnixEpoch));

        Assert.Equal(written, Names(Files.GetProperty("agent.json").GetProperty("fields")));
        Assert.Equal(written, Names(Files.GetProperty("agent.json").GetProperty("example")));
        Assert.NotNull(Files.GetProperty("agent.json").GetProperty("example").Deserialize<Enrolment>(AgentJson.Files));
    }

    [Fact]
    public void StatusJson_DocumentedFields_AreExactlyTheStatusRecordsFields()
    {
        var written = FieldsOf(AgentStatus.Initial);

        Assert.Equal(written, Names(Files.GetProperty("status.json").GetProperty("fields")));
        Assert.Equal(written, Names(Files.GetProperty("status.json").GetProperty("example")));
    }

    private static SortedSet<string> FieldsOf<T>(T record) => Names(JsonSerializer.SerializeToElement(record, AgentJson.Files));

    private static SortedSet<string> Names(JsonElement element) => new(element.EnumerateObject().Select(p => p.Name), StringComparer.Ordinal);

    private static JsonElement Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "ops", "control-agent.example.json")));
        return document.RootElement.Clone();
    }
}
