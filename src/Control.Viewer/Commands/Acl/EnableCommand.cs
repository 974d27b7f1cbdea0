using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl enable CLIENT</c>.</summary>
internal static class EnableCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Turned the ACL of {name} on: only viewers matching one of its entries are admitted",
        name => $"the ACL of {name} is already on");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("restrict access");
        var command = options.AddTo(new Command("enable", "Turn a client's ACL on: only viewers matching one of its entries are admitted"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.EnableAcl, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
