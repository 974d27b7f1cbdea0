using System.CommandLine;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators ...</c>: portal accounts of your organization.</summary>
internal static class OperatorsCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) => new("operators", "List, invite, disable and reset operator accounts")
    {
        ListCommand.Create(context, globals),
        InviteCommand.Create(context, globals),
        DisableCommand.Create(context, globals),
        EnableCommand.Create(context, globals),
        ResetPasswordCommand.Create(context, globals),
        ResetTwoFactorCommand.Create(context, globals),
    };
}
