using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.People;

/// <summary><c>control access acl-history CLIENT</c>: every change of what the client's ACL admits, oldest first.</summary>
internal static class AclHistoryCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var json = GlobalOptions.Json();
        var command = new Command("acl-history", "A client's ACL changes as a diff list: when, who, why, correlation, +entry/-entry, on/off (organization-wide ones marked)")
        {
            client, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var history = await ClientTarget.SendAsync<AclHistoryResponse>(api, HttpMethod.Get, given, "/acl/history", null, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, history);
                return Cli.Success;
            }

            if (history.Changes.Count == 0)
            {
                await context.Out.WriteLineAsync($"{history.Client}: the ACL never changed (it is off, with no entries).");
                return Cli.Success;
            }

            Output.Table(context.Out, ["TIME", "ACTOR", "CHANGE", "REASON", "CORRELATION"], history.Changes.Select(c => (IReadOnlyList<string>)
                [Output.Time(c.At), c.Actor ?? "-", Describe(c), Output.Truncate(c.Reason, 40), c.Correlation ?? "-"]));
            return Cli.Success;
        });
        return command;
    }

    public static string Describe(AclHistoryEntry change)
    {
        var parts = new List<string>();
        if (change.AclEnabled is { } on)
        {
            parts.Add(on ? "ACL on" : "ACL off");
        }

        parts.AddRange(change.Added.Select(e => "+" + e));
        parts.AddRange(change.Removed.Select(e => "-" + e));
        return string.Join(" ", parts) + (change.OrganizationWide ? " (organization-wide)" : "");
    }
}
