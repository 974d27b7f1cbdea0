using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Organizations;

/// <summary><c>control org acl list</c>.</summary>
internal static class OrganizationAclListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "Show the organization-wide ACL entries and the organization's version") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var view = await api.GetAsync<OrganizationAclView>("organization/acl", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, view);
                return Cli.Success;
            }

            var version = ClientTarget.Version(view.Version);
            await context.Out.WriteLineAsync(view.Entries.Count == 0
                ? $"No organization-wide ACL entries (version {version}): each client admits only its own."
                : $"Organization-wide ACL (version {version}): every client whose ACL is on admits these besides its own entries");
            foreach (var entry in view.Entries)
            {
                await context.Out.WriteLineAsync("  " + entry);
            }

            return Cli.Success;
        });
        return command;
    }
}
