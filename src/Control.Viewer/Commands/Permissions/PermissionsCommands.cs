using System.CommandLine;

namespace Control.Viewer.Commands.Permissions;

/// <summary><c>control permissions ...</c>: what a session on a client may do.</summary>
internal static class PermissionsCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("permissions", "What sessions on a client may do (run commands, open a shell, transfer files) and which local accounts they run as")
        {
            SetCommand.Create(context, globals),
            LoginsCommand.Create(context, globals),
        };
}
