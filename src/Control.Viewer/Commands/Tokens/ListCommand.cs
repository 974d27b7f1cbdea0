using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Tokens;

/// <summary><c>control tokens list CLIENT</c>: the remember-tokens still valid on a client (never the tokens themselves).</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var json = GlobalOptions.Json();
        var command = new Command("list", "List the remember-tokens still valid on a client: id, viewer, device, when issued and last used") { client, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var tokens = await ClientTarget.SendAsync<List<RememberTokenView>>(api, HttpMethod.Get, given, "/tokens", null, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, tokens);
                return Cli.Success;
            }

            if (tokens.Count == 0)
            {
                await context.Out.WriteLineAsync($"No valid remember-tokens on {given.Trim()}.");
                return Cli.Success;
            }

            Output.Table(context.Out, ["TOKEN ID", "VIEWER", "DEVICE", "ISSUED", "LAST USED"], tokens.Select(t => (IReadOnlyList<string>)
                [t.TokenId, t.ViewerAlias, Output.Truncate(t.Device ?? "-", 30), Output.Time(t.IssuedAt), Output.Time(t.LastUsedAt, "never")]));
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"Revoke one: control tokens revoke {given.Trim()} TOKEN-ID --reason TEXT (all of them: control tokens clear)");
            return Cli.Success;
        });
        return command;
    }
}
