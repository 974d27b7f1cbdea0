using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl remove CLIENT ENTRY</c>.</summary>
internal static class RemoveCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var entry = AclCommands.EntryArgument("The entry to remove, exactly as 'control acl list' shows it");
        var options = new ClientChangeOptions("revoke this access");
        var command = options.AddTo(new Command("remove", "Remove an entry from a client's ACL"), entry);
        command.SetAction(async (parse, cancellation) =>
        {
            var value = AclCommands.Normalize(parse.GetValue(entry)!);
            var text = new ClientChangeText(name => $"Removed {value} from the ACL of {name}", name => $"{value} is not in the ACL of {name}");
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(
                context, api, parse, ClientActions.RemoveAclEntry, options.Request(parse) with { Entry = value }, text, cancellation, AclCommands.Fields);
        });
        return command;
    }
}
