using System.CommandLine;

namespace Control.Viewer.Commands.Unattended;

/// <summary><c>control unattended ...</c>: access to a client when nobody sits at it.</summary>
internal static class UnattendedCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("unattended", "Unattended access to a client (nobody at the machine): turn it on or off, exclusive mode, the unattended password")
        {
            EnableCommand.Create(context, globals),
            DisableCommand.Create(context, globals),
            ExclusiveCommand.Create(context, globals),
            RotatePasswordCommand.Create(context, globals),
            Offboarding.RevealCommands.Unattended(context, globals),
        };
}
