using System.Text.Json;

namespace Control.Agent.Storage;

internal static class AgentJson
{
    /// <summary>The agent's own files: camelCase like the wire types, indented because people read them.</summary>
    public static JsonSerializerOptions Files { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>One JSON document per line (the local control socket).</summary>
    public static JsonSerializerOptions Compact { get; } = new(JsonSerializerDefaults.Web);
}
