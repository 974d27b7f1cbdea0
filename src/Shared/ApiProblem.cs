using System.Net;
using System.Text;
using System.Text.Json;

namespace Control.Http;

/// <summary>
/// An RFC 9457 problem details answer of the Control API, as the agent and the viewer read it: reduced to what a person
/// needs to see, and tolerant of anything that is not one (a proxy's HTML page, an empty body), which is only a status.
/// </summary>
internal sealed record ApiProblem(
    int Status, string? Title, string? Detail, string? Code, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors = new Dictionary<string, IReadOnlyList<string>>();

    public static ApiProblem Parse(HttpStatusCode status, string? body) =>
        string.IsNullOrWhiteSpace(body) ? Bare(status) : Parse(status, Encoding.UTF8.GetBytes(body));

    public static ApiProblem Parse(HttpStatusCode status, byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Bare(status);
            }

            var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? field.Value.EnumerateArray().Select(m => m.ToString()).ToList()
                        : [field.Value.ToString()];
                }
            }

            return new ApiProblem((int)status, Text(root, "title"), Text(root, "detail"), Text(root, "code"), errors);
        }
        catch (JsonException)
        {
            return Bare(status);
        }
    }

    /// <summary>
    /// <c>error: title: detail</c>, then one <c>  field: message</c> line per validation message (the viewer's form). API
    /// field names (camelCase body properties) are shown as the CLI option the user typed when the command supplies a mapping.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        var text = new StringBuilder("error: ").Append((Title ?? $"HTTP {Status} {ReasonPhrase((HttpStatusCode)Status)}").TrimEnd('.'));
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

    /// <summary><c>title: detail (field: message; field: message)</c> on one line (the agent's log form).</summary>
    public override string ToString()
    {
        var text = new StringBuilder((Title ?? $"HTTP {Status}").TrimEnd('.'));
        if (!string.IsNullOrWhiteSpace(Detail))
        {
            text.Append(": ").Append(Detail.TrimEnd('.'));
        }

        var errors = Errors.SelectMany(field => field.Value.Select(message => $"{field.Key}: {message}".TrimEnd('.'))).ToList();
        if (errors.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", errors).Append(')');
        }

        return text.Replace('\n', ' ').Replace('\r', ' ').ToString();
    }

    private static ApiProblem Bare(HttpStatusCode status) => new((int)status, null, null, null, NoErrors);

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string ReasonPhrase(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return response.ReasonPhrase ?? status.ToString();
    }
}
