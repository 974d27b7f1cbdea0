using System.CommandLine;
using System.Text;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients list</c>.</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var tag = new Option<string?>("--tag")
        {
            Description = "Only clients with this tag",
            HelpName = "TAG",
            Validators =
            {
                r =>
                {
                    var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
                    if (ClientTarget.NormalizeTag(text) is null)
                    {
                        r.AddError($"--tag: {ClientTarget.TagRule}, not '{text}'.");
                    }
                },
            },
        };
        var removed = new Option<bool>("--removed") { Description = "Include clients that were removed from the organization" };
        var json = GlobalOptions.Json();
        var command = new Command(
            "list", "List the clients of your organization: number, alias, hostname, status, tags, policy version (latest/enforced), last seen")
        {
            tag, removed, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var query = new StringBuilder();
            if (parse.GetValue(tag) is { } selected)
            {
                query.Append("?tag=").Append(Uri.EscapeDataString(ClientTarget.NormalizeTag(selected)!));
            }

            if (parse.GetValue(removed))
            {
                query.Append(query.Length == 0 ? '?' : '&').Append("removed=true");
            }

            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var clients = await api.GetAsync<List<ClientSummary>>("clients" + query, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, clients);
                return Cli.Success;
            }

            if (clients.Count == 0)
            {
                await context.Out.WriteLineAsync(parse.GetValue(tag) is { } t ? $"No clients with the tag '{t.Trim().ToLowerInvariant()}'." : "No clients.");
                return Cli.Success;
            }

            Output.Table(
                context.Out,
                ["NUMBER", "ALIAS", "HOSTNAME", "STATUS", "TAGS", "POLICY", "LAST SEEN", "VERSION"],
                clients.Select(c => (IReadOnlyList<string>)
                [
                    c.Number, c.Alias ?? "-", Output.Truncate(c.Hostname, 30), Status(c), c.Tags.Count == 0 ? "-" : string.Join(',', c.Tags),
                    Policy(c), LastSeen(c), ClientTarget.Version(c.Version),
                ]));
            return Cli.Success;
        });
        return command;
    }

    /// <summary>When the agent was last seen, and <c>(online)</c> while the API counts it as online (seen in the last minutes).</summary>
    public static string LastSeen(ClientSummary client) => Output.Time(client.LastSeenAt, "never") + (client.Online ? " (online)" : "");

    /// <summary><c>active</c>, or <c>active (unlicensed)</c> for a free client.</summary>
    public static string Status(ClientSummary client) => client.Licensed ? client.Status : $"{client.Status} (unlicensed)";

    /// <summary><c>12/12</c> when the agent enforces the latest policy, <c>12/11</c> while it catches up, <c>12/-</c> before its first receipt.</summary>
    public static string Policy(ClientSummary client) =>
        $"{ClientTarget.Version(client.LatestPolicyVersion)}/{(client.EnforcedPolicyVersion is { } enforced ? ClientTarget.Version(enforced) : "-")}";
}
