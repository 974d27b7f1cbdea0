using System.Net;
using System.Text;
using System.Text.Json;

namespace Control.Viewer.Infrastructure;

/// <summary>An RFC 9457 problem details answer, reduced to what a person needs to read.</summary>
internal sealed record ApiProblem(int Status, string? Title, string? Detail, string? Code, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    /// <summary>Reads a problem body; anything that is not one (a proxy's HTML page, an empty body) becomes a bare status.</summary>
    public static ApiProblem Parse(HttpStatusCode status, string? body)
    {
        var fallbackTitle = $"HTTP {(int)status} {ReasonPhrase(status)}";
        if (string.IsNullOrWhiteSpace(body))
        {
            return new ApiProblem((int)status, fallbackTitle, null, null, Empty);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ApiProblem((int)status, fallbackTitle, null, null, Empty);
            }

            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errorsElement.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString()).ToList()
                        : [field.Value.ToString()];
                }
            }

            return new ApiProblem(
                (int)status, String(root, "title") ?? fallbackTitle, String(root, "detail"), String(root, "code"), errors);
        }
        catch (JsonException)
        {
            return new ApiProblem((int)status, fallbackTitle, null, null, Empty);
        }
    }

    /// <summary>
    /// <c>error: title: detail</c>, then one <c>  field: message</c> line per validation message. API field names
    /// (camelCase body properties) are shown as the CLI option the user typed when the command supplies a mapping.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        var text = new StringBuilder("error: ");
        var title = (Title ?? $"HTTP {Status}").TrimEnd('.');
        text.Append(title);
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            text.Append(": ").Append(Detail);
        }

        foreach (var (field, messages) in Errors)
        {
            var shown = fieldNames is not null && fieldNames.TryGetValue(field, out var option) ? option : field;
            foreach (var message in messages)
            {
                text.AppendLine().Append("  ").Append(shown).Append(": ").Append(message);
            }
        }

        return text.ToString();
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Empty = new Dictionary<string, IReadOnlyList<string>>();

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReasonPhrase(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return response.ReasonPhrase ?? status.ToString();
    }
}
