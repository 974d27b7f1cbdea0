using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients remove</c>: the client leaves the organization for good.</summary>
internal static class RemoveCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Removed {name} from the organization: its credential is revoked and it accepts no sessions",
        name => $"{name} was already removed");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("remove it");
        var command = options.AddTo(new Command(
            "remove", "Remove a client from the organization: its agent credential stops working and it accepts no sessions; this cannot be undone"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.Remove, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
