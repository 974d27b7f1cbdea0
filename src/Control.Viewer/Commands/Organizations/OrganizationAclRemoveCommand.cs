using System.CommandLine;

namespace Control.Viewer.Commands.Organizations;

/// <summary><c>control org acl remove ENTRY</c>.</summary>
internal static class OrganizationAclRemoveCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new OrganizationAclCommands.ChangeOptions(
            "The entry to remove, exactly as 'control org acl list' shows it", "revoke this access from every client");
        var command = options.AddTo(new Command("remove", "Remove an organization-wide ACL entry (a client's own entries are untouched)"));
        command.SetAction(async (parse, cancellation) =>
        {
            var value = options.Value(parse);
            return await options.RunAsync(
                context, globals, parse, "remove", options.Request(parse),
                $"Removed {value} from the organization-wide ACL", $"{value} is not in the organization-wide ACL", cancellation);
        });
        return command;
    }
}
