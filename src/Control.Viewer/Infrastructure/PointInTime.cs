using System.Globalization;
using System.Text.RegularExpressions;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// A moment given on the command line: an ISO 8601 timestamp (<c>2026-11-25T10:00:00Z</c>, a date alone meaning
/// midnight UTC, no offset meaning UTC) or an age such as <c>24h</c>, <c>90m</c>, <c>7d</c>, <c>2w</c>, <c>1h30m</c>.
/// </summary>
internal static partial class PointInTime
{
    public const string Help = "an ISO 8601 time (2026-11-25T10:00:00Z, 2026-11-25) or an age such as 30m, 24h, 7d, 2w, 1h30m";

    public static bool TryParse(string? text, DateTimeOffset now, out DateTimeOffset moment)
    {
        moment = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (TryParseAge(text, out var age))
        {
            moment = now - age;
            return true;
        }

        return DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out moment);
    }

    /// <summary>A command-line option's value as a past moment (an age counts back from now), or a readable parse error.</summary>
    public static DateTimeOffset? Parse(System.CommandLine.Parsing.ArgumentResult result, DateTimeOffset now)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(text, now, out var moment))
        {
            return moment;
        }

        result.AddError($"'{text}' is not a time: use {Help}.");
        return null;
    }

    /// <summary>One or more number+unit parts (s, m, h, d, w); the total must be positive.</summary>
    public static bool TryParseAge(string text, out TimeSpan age)
    {
        age = TimeSpan.Zero;
        if (!AgePattern().IsMatch(text))
        {
            return false;
        }

        foreach (Match part in AgePart().Matches(text))
        {
            if (!long.TryParse(part.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unit = part.Groups[2].Value switch
            {
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                "d" => TimeSpan.FromDays(1),
                _ => TimeSpan.FromDays(7),
            };

            // Ages beyond a century are typos, and guarding here keeps the multiplication from overflowing.
            if (amount > 36_500L * TimeSpan.TicksPerDay / unit.Ticks)
            {
                return false;
            }

            age += TimeSpan.FromTicks(amount * unit.Ticks);
        }

        return age > TimeSpan.Zero && age <= TimeSpan.FromDays(36_500);
    }

    [GeneratedRegex(@"^([0-9]+[smhdw])+$", RegexOptions.CultureInvariant)]
    private static partial Regex AgePattern();

    [GeneratedRegex(@"([0-9]+)([smhdw])", RegexOptions.CultureInvariant)]
    private static partial Regex AgePart();
}
