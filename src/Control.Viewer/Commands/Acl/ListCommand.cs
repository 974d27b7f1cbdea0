using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl list CLIENT</c>.</summary>
internal static class ListCommand
{
    /// <summary>What <c>--json</c> prints: the ACL and which client (and version) it belongs to.</summary>
    public sealed record AclView(Guid ClientId, string Number, string? Alias, bool Enabled, IReadOnlyList<string> Entries, long Version);

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var json = GlobalOptions.Json();
        var command = new Command("list", "Show whether a client's ACL is on and which entries it holds") { client, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var detail = await ClientTarget.SendAsync<ClientDetail>(api, HttpMethod.Get, given, "", null, cancellation);
            var summary = detail.Summary;
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, new AclView(summary.Id, summary.Number, summary.Alias, detail.AclEnabled, detail.AclEntries, summary.Version));
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(
                $"ACL of {ClientTarget.Name(given, summary.Number)}: {ShowCommand.Acl(detail.AclEnabled, detail.AclEntries.Count)} (version {ClientTarget.Version(summary.Version)})");
            foreach (var entry in detail.AclEntries)
            {
                await context.Out.WriteLineAsync("  " + entry);
            }

            return Cli.Success;
        });
        return command;
    }
}
