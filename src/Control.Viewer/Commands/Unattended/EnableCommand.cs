using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Unattended;

/// <summary><c>control unattended enable CLIENT</c>.</summary>
internal static class EnableCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Turned unattended access to {name} on",
        name => $"unattended access to {name} is already on");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("allow unattended access");
        var command = options.AddTo(new Command(
            "enable", "Allow unattended access to a client (with its unattended password; set one with 'control unattended rotate-password')"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.EnableUnattendedAccess, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
