using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary>The filter options of the change log and of the session history, shared by the list and export commands.</summary>
internal sealed class AuditFilters
{
    private readonly List<(Option Option, string Parameter, Func<ParseResult, string?> Value)> _filters = [];

    public IEnumerable<Option> Options => _filters.Select(f => f.Option);

    /// <summary>actor, type, stream, correlation, target, since, until: <c>GET /audit/events</c> and its export.</summary>
    public static AuditFilters Events(CliContext context)
    {
        var filters = new AuditFilters();
        var type = new Option<string[]>("--type")
        {
            Description = "Only events of these types, e.g. OperatorDisabled (repeat the option or separate with commas)",
            HelpName = "TYPE",
        };
        filters.Add(type, "type", p => string.Join(',', (p.GetValue(type) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        filters.Add(new Option<string?>("--actor") { Description = "Only changes made by this operator, e.g. alice@acme", HelpName = "NAME@ORG" }, "actor");
        filters.Add(new Option<string?>("--target")
        {
            Description = "Only changes to this: client:ALIAS|NUMBER, operator:NAME, person:EMAIL|NAME, custom-client:NAME, or license",
            HelpName = "KIND:KEY",
        }, "target");
        var stream = new Option<Guid?>("--stream") { Description = "Only events of this stream (an aggregate's id)", HelpName = "ID" };
        filters.Add(stream, "stream", p => p.GetValue(stream)?.ToString());
        filters.Add(new Option<string?>("--correlation") { Description = "Only events with this correlation id (one request, or one offboarding)", HelpName = "ID" }, "correlation");
        filters.AddTimes(context, "events");
        return filters;
    }

    /// <summary>client, person, viewer, denied, since, until: <c>GET /audit/sessions</c> and its export.</summary>
    public static AuditFilters Sessions(CliContext context)
    {
        var filters = new AuditFilters();
        filters.Add(new Option<string?>("--client") { Description = "Only sessions to this client (alias, 9-digit number or id)", HelpName = "CLIENT" }, "client");
        filters.Add(new Option<string?>("--person")
        {
            Description = "Only sessions of this person (e-mail, name or id), through every viewer alias linked to them",
            HelpName = "PERSON",
        }, "person");
        filters.Add(new Option<string?>("--viewer") { Description = "Only sessions of this technician's viewer alias, e.g. alice or alice@acme", HelpName = "ALIAS" }, "viewer");
        var denied = new Option<bool>("--denied") { Description = "Only the denied attempts (with their reasons)" };
        filters.Add(denied, "denied", p => p.GetValue(denied) ? "true" : null);
        filters.AddTimes(context, "sessions");
        return filters;
    }

    public void AddTo(Command command)
    {
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The query string (with a leading <c>?</c>, or empty) for what was given on the command line.</summary>
    public string Query(ParseResult parse, params (string Name, string? Value)[] more)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in _filters.Select(f => (f.Parameter, f.Value(parse))).Concat(more))
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            }
        }

        return query.ToString();
    }

    /// <summary>The first page at <paramref name="path"/> (or, with <paramref name="all"/>, every page), and whether more remain.</summary>
    public static async Task<(List<TItem> Items, bool More)> ReadPagesAsync<TPage, TItem>(
        SignedInApi api, string path, string filter, bool all, Func<TPage, IEnumerable<TItem>> items, Func<TPage, string?> next,
        CancellationToken cancellation)
    {
        var read = new List<TItem>();
        string? cursor = null;
        do
        {
            var query = cursor is null ? filter : $"{filter}&cursor={Uri.EscapeDataString(cursor)}";
            var page = await api.GetAsync<TPage>(path + query, cancellation);
            read.AddRange(items(page));
            cursor = next(page);
        }
        while (cursor is not null && all);

        return (read, cursor is not null);
    }

    private void Add(Option<string?> option, string parameter) => _filters.Add((option, parameter, p => p.GetValue(option)));

    private void Add(Option option, string parameter, Func<ParseResult, string?> value) => _filters.Add((option, parameter, value));

    private void AddTimes(CliContext context, string what)
    {
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = $"Only {what} at or after this time: " + PointInTime.Help,
            HelpName = "TIME",
            CustomParser = r => ParseTime(r, context),
        };
        var until = new Option<DateTimeOffset?>("--until")
        {
            Description = $"Only {what} before this time (same forms as --since)",
            HelpName = "TIME",
            CustomParser = r => ParseTime(r, context),
        };
        Add(since, "from", p => p.GetValue(since)?.ToString("O", CultureInfo.InvariantCulture));
        Add(until, "to", p => p.GetValue(until)?.ToString("O", CultureInfo.InvariantCulture));
    }

    private static DateTimeOffset? ParseTime(ArgumentResult result, CliContext context)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (PointInTime.TryParse(text, context.Clock.GetUtcNow(), out var moment))
        {
            return moment;
        }

        result.AddError($"'{text}' is not a time: use {PointInTime.Help}.");
        return null;
    }
}
