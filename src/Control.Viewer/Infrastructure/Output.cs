using System.Globalization;
using System.Text;
using System.Text.Json;
using Control.Domain.Common;

namespace Control.Viewer.Infrastructure;

/// <summary>Tables for people, JSON for machines, and one time format for both (UTC, ISO 8601).</summary>
internal static class Output
{
    // Relaxed escaping: this JSON goes to terminals and pipes, never into HTML, and "&" should stay readable in URIs.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ViewerJsonContext.Default,
    };

    public static void WriteJson<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, ViewerJson.Info<T>(Json)));

    public static string Time(DateTimeOffset? time, string none = "-") =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : none;

    /// <summary>
    /// Left-aligned columns separated by two spaces, a header line, no trailing spaces. Every cell is made inert
    /// (<see cref="UntrustedText"/>): much of what a table shows was typed by a viewer or reported by an agent.
    /// </summary>
    public static void Table(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { headers };
        all.AddRange(rows);
        var widths = new int[headers.Count];
        foreach (var row in all)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], Cell(row, i).Length);
            }
        }

        var line = new StringBuilder();
        foreach (var row in all)
        {
            line.Clear();
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = Cell(row, i);
                line.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
            }

            writer.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>Shortens free text for a table cell; the full text is in <c>--json</c>.</summary>
    public static string Truncate(string? text, int length)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "-";
        }

        var oneLine = UntrustedText.Inert(text)!;
        return oneLine.Length <= length ? oneLine : string.Concat(oneLine.AsSpan(0, length - 1), "…");
    }

    private static string Cell(IReadOnlyList<string> row, int index) => index < row.Count ? UntrustedText.Inert(row[index])! : "";
}
