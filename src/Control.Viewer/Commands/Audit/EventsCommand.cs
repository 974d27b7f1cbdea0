using System.CommandLine;
using System.Globalization;
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
        var filters = AuditFilters.Events(context);
        var limit = Limit("Events");
        var all = new Option<bool>("--all") { Description = "Follow the pages to the oldest matching event" };
        var json = GlobalOptions.Json();
        var command = new Command("events", "List security changes, newest first: time, type, actor, target, reason, correlation");
        filters.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(all);
        command.Options.Add(json);

        command.SetAction(async (parse, cancellation) =>
        {
            var filter = filters.Query(parse, ("limit", parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)));
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var (events, more) = await AuditFilters.ReadPagesAsync<AuditEventPage, AuditEventView>(
                api, "audit/events", filter, parse.GetValue(all), p => p.Items, p => p.NextCursor, cancellation);

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
                    ["TIME", "TYPE", "ACTOR", "TARGET", "REASON", "CORRELATION"],
                    events.Select(e => (IReadOnlyList<string>)
                    [
                        Output.Time(e.Timestamp), e.Type, e.Actor ?? "-", Output.Truncate(e.Target ?? e.StreamId.ToString(), 40), Output.Truncate(e.Reason, 40),
                        e.CorrelationId ?? "-",
                    ]));
            }

            if (more)
            {
                await context.Error.WriteLineAsync("More events are older than these: add --all, or narrow with --since, --type, --target or --actor.");
            }

            return Cli.Success;
        });
        return command;
    }

    public static Option<int> Limit(string what) => new("--limit")
    {
        Description = $"{what} per page, 1-{MaxLimit}; without --all only the newest page is shown",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultLimit,
        Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > MaxLimit) r.AddError($"--limit is between 1 and {MaxLimit}."); } },
    };
}
