using System.CommandLine;
using System.Globalization;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary><c>control audit sessions</c>: who connected where, newest first, per client, person, technician, or only the denied.</summary>
internal static class SessionsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var filters = AuditFilters.Sessions(context);
        var limit = EventsCommand.Limit("Sessions");
        var all = new Option<bool>("--all") { Description = "Follow the pages to the oldest matching session" };
        var json = GlobalOptions.Json();
        var command = new Command(
            "sessions", "List session history, newest first: start, client, viewer, person, outcome and reason, duration, channels, files, recording");
        filters.AddTo(command);
        command.Options.Add(limit);
        command.Options.Add(all);
        command.Options.Add(json);

        command.SetAction(async (parse, cancellation) =>
        {
            var filter = filters.Query(parse, ("limit", parse.GetValue(limit).ToString(CultureInfo.InvariantCulture)));
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var (sessions, more) = await AuditFilters.ReadPagesAsync<SessionHistoryPage, SessionHistoryRow>(
                api, "audit/sessions", filter, parse.GetValue(all), p => p.Items, p => p.NextCursor, cancellation);

            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, sessions);
            }
            else if (sessions.Count == 0)
            {
                await context.Out.WriteLineAsync("No matching sessions.");
            }
            else
            {
                Output.Table(
                    context.Out,
                    ["STARTED", "CLIENT", "VIEWER", "PERSON", "OUTCOME", "DURATION", "METHODS", "CHANNELS", "FILES", "RECORDING"],
                    sessions.Select(s => (IReadOnlyList<string>)
                    [
                        Output.Time(s.StartedAt), s.ClientAlias ?? s.ClientNumber ?? s.ClientId.ToString(), s.ViewerAlias ?? "-", s.PersonName ?? "-",
                        Output.Truncate(Outcome(s), 40), SessionsCommands.Duration(s.DurationMilliseconds), s.Methods.Count == 0 ? "-" : string.Join('+', s.Methods),
                        s.Channels.Count == 0 ? "-" : string.Join(',', s.Channels),
                        s.Files.Count == 0 ? "-" : string.Join(", ", s.Files.Select(f => $"{f.Direction} {f.Path} ({f.Size} B)")),
                        s.RecordingUrl is null ? "-" : $"control sessions replay {s.SessionId}",
                    ]));
            }

            if (more)
            {
                await context.Error.WriteLineAsync("More sessions are older than these: add --all, or narrow with --since, --client, --person or --viewer.");
            }

            return Cli.Success;
        });
        return command;
    }

    private static string Outcome(SessionHistoryRow s) => s.Outcome switch
    {
        "denied" => "denied: " + s.DeniedReason,
        "ended" => $"ended by {s.EndedBy}" + (s.EndReason is { } why ? $" ({why})" : ""),
        var other => other,
    };
}
