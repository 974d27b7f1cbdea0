using System.CommandLine;

namespace Control.Viewer.Commands.ClientTwoFactor;

/// <summary><c>control client-2fa ...</c>: a TOTP code on top of the unattended password of one client.</summary>
internal static class ClientTwoFactorCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("client-2fa", "Two-factor authentication (TOTP) for unattended access to a client: enrol, confirm, disable")
        {
            EnrollCommand.Create(context, globals),
            ConfirmCommand.Create(context, globals),
            DisableCommand.Create(context, globals),
        };
}
