using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Tokens;

/// <summary><c>control tokens clear CLIENT</c>: every remember-token issued so far becomes void.</summary>
internal static class ClearCommand
{
    private static readonly ClientChangeText Text = new(
        name => $"Cleared the tokens of {name}: every viewer must authenticate again",
        name => $"the tokens of {name} were not cleared");

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new ClientChangeOptions("void the tokens");
        var command = options.AddTo(new Command("clear", "Void every remember-token of a client: each viewer must authenticate again"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.ClearTokens, options.Request(parse), Text, cancellation);
        });
        return command;
    }
}
