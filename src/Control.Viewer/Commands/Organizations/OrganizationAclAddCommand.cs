using System.CommandLine;

namespace Control.Viewer.Commands.Organizations;

/// <summary><c>control org acl add ENTRY</c>.</summary>
internal static class OrganizationAclAddCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var allowEveryone = new Option<bool>("--allow-everyone")
        {
            Description = "Confirm that ENTRY '*' is meant: it admits anyone at all to every client",
        };
        var options = new OrganizationAclCommands.ChangeOptions(
            "Who may connect to every client: an alias (alice@acme), a wildcard alias (*@acme, *-support@acme), a 9-digit client id, or * (anyone; needs --allow-everyone)",
            "grant this access to every client");
        var command = options.AddTo(new Command("add", "Add an organization-wide ACL entry (admitted by every client whose ACL is on)") { allowEveryone });
        command.SetAction(async (parse, cancellation) =>
        {
            var value = options.Value(parse);
            return await options.RunAsync(
                context, globals, parse, "add", options.Request(parse) with { AllowEveryone = parse.GetValue(allowEveryone) },
                $"Added {value} to the organization-wide ACL", $"{value} is already in the organization-wide ACL", cancellation);
        });
        return command;
    }
}
