using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Password;

internal static class PasswordCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("password", "Manage your own password") { ChangeCommand.Create(context, globals) };
}

/// <summary><c>control password change</c>: every session of the account ends, this one included.</summary>
internal static class ChangeCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["currentPassword"] = "current password",
        ["newPassword"] = "new password",
        ["reason"] = "--reason",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var reason = new Option<string?>("--reason") { Description = "Why, for the audit trail (optional)", HelpName = "TEXT" };
        var command = new Command("change", "Change your password (asks for the current one, then the new one twice); signs you out everywhere")
        {
            reason,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var current = Prompt.Secret(context, "Current password: ");
            var replacement = Prompt.NewPassword(context);
            await api.PostAsync<NoContent>(
                "me/password", new ChangePasswordRequest(current, replacement, parse.GetValue(reason)), cancellation, Fields);

            // The server has ended every session of the account; the stored tokens are dead.
            api.Forget();
            await context.Out.WriteLineAsync($"password changed; sign in again: {api.Credentials.Hint}");
            return Cli.Success;
        });
        return command;
    }
}
