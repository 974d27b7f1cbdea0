using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl disable CLIENT</c>.</summary>
internal static class DisableCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Turned the ACL of {name} off: its entries are kept but no longer enforced",
        name => $"the ACL of {name} is already off");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("lift the restriction");
        var command = options.AddTo(new Command("disable", "Turn a client's ACL off (its entries are kept, but not enforced)"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.DisableAcl, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
