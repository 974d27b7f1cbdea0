using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary><c>control audit events</c>: newest first, filtered on the server, one page or (<c>--all</c>) every page.</summary>
internal static class EventsCommand
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var type = new Option<string[]>("--type")
        {
            Description = "Only events of these types, e.g. OperatorDisabled (repeat the option or separate with commas)",
            HelpName = "TYPE",
        };
        var actor = new Option<string?>("--actor") { Description = "Only changes made by this operator, e.g. alice@acme", HelpName = "NAME@ORG" };
        var stream = new Option<Guid?>("--stream") { Description = "Only events of this stream (an operator's or organization's id)", HelpName = "ID" };
        var correlation = new Option<string?>("--correlation")
        {
            Description = "Only events with this correlation id (one request, or one offboarding)",
            HelpName = "ID",
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only events at or after this time: " + PointInTime.Help,
            HelpName = "TIME",
            CustomParser = r => ParseTime(r, context),
        };
        var until = new Option<DateTimeOffset?>("--until")
        {
            Description = "Only events before this time (same forms as --since)",
            HelpName = "TIME",
            CustomParser = r => ParseTime(r, context),
        };
        var limit = new Option<int>("--limit")
        {
            Description = $"Events per page, 1-{MaxLimit}; without --all only the newest page is shown",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLimit,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > MaxLimit) r.AddError($"--limit is between 1 and {MaxLimit}."); } },
        };
        var all = new Option<bool>("--all") { Description = "Follow the pages to the oldest matching event" };
        var json = GlobalOptions.Json();
        var command = new Command("events", "List security events, newest first: time, type, actor, stream, reason, correlation")
        {
            type, actor, stream, correlation, since, until, limit, all, json,
        };

        command.SetAction(async (parse, cancellation) =>
        {
            var filter = new StringBuilder();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    filter.Append(filter.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
                }
            }

            var types = (parse.GetValue(type) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            Add("type", string.Join(',', types));
            Add("actor", parse.GetValue(actor));
            Add("stream", parse.GetValue(stream)?.ToString());
            Add("correlation", parse.GetValue(correlation));
            Add("from", parse.GetValue(since)?.ToString("O", CultureInfo.InvariantCulture));
            Add("to", parse.GetValue(until)?.ToString("O", CultureInfo.InvariantCulture));
            Add("limit", parse.GetValue(limit).ToString(CultureInfo.InvariantCulture));

            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var events = new List<AuditEventView>();
            string? cursor = null;
            do
            {
                var query = cursor is null ? filter.ToString() : $"{filter}&cursor={Uri.EscapeDataString(cursor)}";
                var page = await api.GetAsync<AuditEventPage>("audit/events" + query, cancellation);
                events.AddRange(page.Items);
                cursor = page.NextCursor;
            }
            while (cursor is not null && parse.GetValue(all));

            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, events);
            }
            else if (events.Count == 0)
            {
                await context.Out.WriteLineAsync("No matching events.");
            }
            else
            {
                Output.Table(
                    context.Out,
                    ["TIME", "TYPE", "ACTOR", "STREAM", "REASON", "CORRELATION"],
                    events.Select(e => (IReadOnlyList<string>)
                        [Output.Time(e.Timestamp), e.Type, e.Actor ?? "-", e.StreamId.ToString(), Output.Truncate(e.Reason, 40), e.CorrelationId ?? "-"]));
            }

            if (cursor is not null)
            {
                await context.Error.WriteLineAsync("More events are older than these: add --all, or narrow with --since, --type or --actor.");
            }

            return Cli.Success;
        });
        return command;
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
