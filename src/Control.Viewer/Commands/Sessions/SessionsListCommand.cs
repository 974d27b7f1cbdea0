using System.CommandLine;
using System.Text;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control sessions list</c>: newest first.</summary>
internal static class SessionsListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = new Option<string?>("--client") { Description = "Only sessions to this client (alias, 9-digit number or id)", HelpName = "CLIENT" };
        var viewer = new Option<string?>("--viewer") { Description = "Only sessions of this viewer (alias, e.g. alice or alice@acme)", HelpName = "ALIAS" };
        var live = new Option<bool>("--live") { Description = "Only sessions admitted and not yet closed" };
        var limit = new Option<int?>("--limit") { Description = "At most N sessions (1-500, default 50)", HelpName = "N" };
        var json = GlobalOptions.Json();
        var command = new Command("list", "List sessions, newest first: when, client, viewer, source, how admitted, outcome, duration")
        {
            client, viewer, live, limit, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var query = new StringBuilder();
            void Add(string name, string value) => query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            if (parse.GetValue(client) is { Length: > 0 } c)
            {
                Add("client", c.Trim());
            }

            if (parse.GetValue(viewer) is { Length: > 0 } v)
            {
                Add("viewer", v.Trim());
            }

            if (parse.GetValue(live))
            {
                Add("live", "true");
            }

            if (parse.GetValue(limit) is { } n)
            {
                Add("limit", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var sessions = await api.GetAsync<List<SessionSummaryView>>("sessions" + query, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, sessions);
                return Cli.Success;
            }

            if (sessions.Count == 0)
            {
                await context.Out.WriteLineAsync(parse.GetValue(live) ? "No live sessions." : "No sessions.");
                return Cli.Success;
            }

            Output.Table(
                context.Out,
                ["ID", "STARTED", "CLIENT", "VIEWER", "SOURCE", "METHODS", "OUTCOME", "DURATION"],
                sessions.Select(s => (IReadOnlyList<string>)
                [
                    s.SessionId.ToString(), Output.Time(s.RequestedAt ?? s.AuthenticatedAt ?? s.ClosedAt), s.ClientAlias ?? s.ClientNumber ?? s.ClientId.ToString(),
                    s.ViewerAlias ?? "-", s.Source ?? "-", s.Methods.Count == 0 ? "-" : string.Join('+', s.Methods), Output.Truncate(SessionsCommands.Outcome(s), 40),
                    SessionsCommands.Duration(s.DurationMilliseconds),
                ]));
            return Cli.Success;
        });
        return command;
    }
}
