using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Unattended;

/// <summary><c>control unattended disable CLIENT</c>.</summary>
internal static class DisableCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Turned unattended access to {name} off",
        name => $"unattended access to {name} is already off");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("stop unattended access");
        var command = options.AddTo(new Command("disable", "Stop unattended access to a client: someone at the machine must accept each session"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.DisableUnattendedAccess, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
