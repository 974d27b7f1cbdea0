using System.Net;
using System.Text;
using System.Text.Json;

namespace Control.Agent.Server;

/// <summary>An RFC 9457 problem details answer, reduced to one line a person can read.</summary>
internal sealed record ApiProblem(int Status, string Title, string? Detail, string? Code, IReadOnlyList<string> Errors)
{
    public static ApiProblem Parse(HttpStatusCode status, byte[] body)
    {
        var fallback = $"HTTP {(int)status}";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ApiProblem((int)status, fallback, null, null, []);
            }

            var errors = new List<string>();
            if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    var messages = field.Value.ValueKind == JsonValueKind.Array ? field.Value.EnumerateArray().Select(m => m.ToString()) : [field.Value.ToString()];
                    errors.AddRange(messages.Select(m => $"{field.Name}: {m}"));
                }
            }

            return new ApiProblem((int)status, Text(root, "title") ?? fallback, Text(root, "detail"), Text(root, "code"), errors);
        }
        catch (JsonException)
        {
            return new ApiProblem((int)status, fallback, null, null, []);
        }
    }

    /// <summary><c>title: detail (field: message; field: message)</c> on one line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Title.TrimEnd('.'));
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            text.Append(": ").Append(Detail.TrimEnd('.'));
        }

        if (Errors.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", Errors.Select(e => e.TrimEnd('.'))).Append(')');
        }

        return text.Replace('\n', ' ').Replace('\r', ' ').ToString();
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
