using System.CommandLine;

namespace Control.Viewer.Commands.Organizations;

/// <summary><c>control org ...</c>: settings of the whole organization.</summary>
internal static class OrganizationCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("org", "Settings of the whole organization")
        {
            SessionSettingsCommand.Create(context, globals),
            OrganizationAclCommands.Create(context, globals),
        };
}
