using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Unattended;

/// <summary>
/// <c>control unattended rotate-password CLIENT</c>: by default the server generates the password and shows it once;
/// with <c>--password-prompt</c> the operator types one (twice, without echo).
/// </summary>
internal static class RotatePasswordCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal) { ["password"] = "password" };

    private static readonly ClientChangeText Text = new(
        name => $"Set a new unattended password for {name}; the old one no longer works",
        name => $"the unattended password of {name} was kept");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var prompt = new Option<bool>("--password-prompt")
        {
            Description = "Type the new password (asked twice, not shown) instead of letting the server generate one; not with --where",
        };
        var options = new ClientChangeOptions("replace the password");
        var command = options.AddTo(new Command(
            "rotate-password", "Replace a client's unattended password: a generated one is printed once (or type one with --password-prompt)") { prompt });
        command.Validators.Add(result =>
        {
            if (result.GetValue(prompt) && result.GetResult(options.Where) is not null)
            {
                result.AddError("--password-prompt sets one client's password; with --where every client gets its own generated password.");
            }
        });
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var request = options.Request(parse);
            if (parse.GetValue(prompt))
            {
                request = request with { Password = Prompt.NewPassword(context, $"New unattended password for {parse.GetValue(options.Client)!.Trim()}: ") };
            }

            return await options.RunAsync(context, api, parse, ClientActions.SetUnattendedPassword, request, Text, cancellation, Fields);
        });
        return command;
    }
}
