using System.CommandLine;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators reset-2fa</c>.</summary>
internal static class ResetTwoFactorCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) => OperatorActionOptions.Verb(
        context, globals, "reset-2fa", "Remove an operator's second factor (lost device); their sessions end and they enrol again after signing in", "reset their 2FA",
        (name, state) => $"Removed the second factor of {name} ({state}). Their sessions have ended; after signing in with their password they turn 2FA on again with 'control 2fa enroll'.");
}
