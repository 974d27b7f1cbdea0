using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Account;

/// <summary><c>control activate</c>: an invitee (or an operator whose password was reset) sets a password with the one-time code.</summary>
internal static class ActivateCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["organization"] = "--org",
        ["username"] = "--user",
        ["activationCode"] = "--code",
        ["newPassword"] = "password",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var organization = new Option<string>("--org") { Description = "Your organization's namespace", HelpName = "SLUG", Required = true };
        var user = new Option<string>("--user") { Description = "Your username", HelpName = "NAME", Required = true };
        var code = new Option<string>("--code")
        {
            Description = "The one-time activation code an administrator gave you",
            HelpName = "CODE",
            Required = true,
        };
        var command = new Command("activate", "Set your password with a one-time activation code (asks for the new password twice)")
        {
            organization, user, code,
        };
        globals.RequireServer(command);

        command.SetAction(async (parse, cancellation) =>
        {
            var server = parse.GetValue(globals.Server)!;
            var slug = parse.GetValue(organization)!;
            var username = parse.GetValue(user)!;
            var password = Prompt.NewPassword(context, $"New password for {username}@{slug}: ");

            using var api = ApiClient.Create(context, server);
            var result = await api.SendAsync<NoContent>(
                HttpMethod.Post, "auth/activate", new ActivateRequest(slug, username, parse.GetValue(code), password), null, cancellation);
            result.Require(Fields);

            await context.Out.WriteLineAsync($"Your account {username}@{slug} is active.");
            await context.Out.WriteLineAsync("Next, sign in:");
            await context.Out.WriteLineAsync($"  {new LoginHint(server, slug, username)}");
            return Cli.Success;
        });
        return command;
    }
}
