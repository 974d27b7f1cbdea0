using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl add CLIENT ENTRY</c>.</summary>
internal static class AddCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var entry = AclCommands.EntryArgument(
            "Who may connect: an alias (alice@acme), a wildcard alias (*@acme, *-support@acme), a 9-digit client id, or * (anyone; needs --allow-everyone)");
        var allowEveryone = new Option<bool>("--allow-everyone")
        {
            Description = "Confirm that ENTRY '*' is meant: it admits anyone at all",
        };
        var options = new ClientChangeOptions("grant this access");
        var command = options.AddTo(new Command("add", "Add an entry to a client's ACL (it is enforced while the ACL is on)") { allowEveryone }, entry);
        command.SetAction(async (parse, cancellation) =>
        {
            var value = AclCommands.Normalize(parse.GetValue(entry)!);
            var text = new ClientChangeText(name => $"Added {value} to the ACL of {name}", name => $"{value} is already in the ACL of {name}");
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(
                context, api, parse, ClientActions.AddAclEntry, options.Request(parse) with { Entry = value, AllowEveryone = parse.GetValue(allowEveryone) }, text,
                cancellation, AclCommands.Fields);
        });
        return command;
    }
}
