using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.ClientTwoFactor;

/// <summary><c>control client-2fa disable CLIENT</c>: also cancels an enrolment that was never confirmed.</summary>
internal static class DisableCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Turned two-factor authentication off for unattended access to {name}",
        name => $"two-factor authentication is already off for {name}");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("remove the second factor");
        var command = options.AddTo(new Command(
            "disable", "Turn 2FA off for unattended access to a client (or cancel an enrolment not yet confirmed)"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.DisableTwoFactor, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
