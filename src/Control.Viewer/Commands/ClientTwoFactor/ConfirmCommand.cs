using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Commands.TwoFactor;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.ClientTwoFactor;

/// <summary><c>control client-2fa confirm CLIENT CODE</c>: a first valid code from the new secret turns 2FA on.</summary>
internal static class ConfirmCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var code = TwoFactorCommands.CodeArgument();
        code.Description = "The 6-digit code the authenticator app shows now for this client";
        var reason = GlobalOptions.Reason("turn on the second factor");
        var json = GlobalOptions.Json();
        var command = new Command("confirm", "Turn 2FA on for unattended access to a client, with a code from the secret 'client-2fa enroll' showed")
        {
            client, code, reason, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var response = await ClientTarget.SendAsync<ClientChangeResponse>(
                api, HttpMethod.Post, given, "/2fa/confirm",
                new ClientChangeRequest(parse.GetValue(reason), Code: TwoFactorCommands.Normalize(parse.GetValue(code)!)), cancellation,
                EnrollCommand.Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = ClientTarget.Name(given, response.Number);
            var version = ClientTarget.Version(response.Version);
            await context.Out.WriteLineAsync(response.Changed
                ? $"Two-factor authentication is on for unattended access to {name} (version {version})."
                : $"Nothing changed: two-factor authentication is already on for {name} (version {version}).");
            return Cli.Success;
        });
        return command;
    }
}
