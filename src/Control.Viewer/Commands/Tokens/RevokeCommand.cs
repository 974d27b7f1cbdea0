using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Tokens;

/// <summary><c>control tokens revoke CLIENT TOKEN-ID --reason TEXT</c>: void one remember-token and end the sessions it admitted.</summary>
internal static class RevokeCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var tokenId = new Argument<string>("TOKEN-ID") { Description = "The token's id (from 'control tokens list CLIENT')" };
        var reason = GlobalOptions.Reason("revoke the token");
        var expectedVersion = GlobalOptions.ExpectedVersion("the client", "'control clients show'");
        var json = GlobalOptions.Json();
        var command = new Command("revoke", "Void one remember-token: its viewer must authenticate again, and live sessions it admitted end")
        {
            client, tokenId, reason, expectedVersion, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var given = parse.GetValue(client)!;
            var id = parse.GetValue(tokenId)!.Trim();
            var response = await ClientTarget.SendAsync<ClientChangeResponse>(
                api, HttpMethod.Post, given, $"/tokens/{Uri.EscapeDataString(id)}/revoke",
                new RevokeRememberTokenRequest(parse.GetValue(reason), parse.GetValue(expectedVersion)), cancellation,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["reason"] = "--reason", ["expectedVersion"] = "--expected-version" });
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = ClientTarget.Name(given, response.Number);
            await context.Out.WriteLineAsync(response.Changed
                ? $"Revoked remember-token {id} of {name}: its viewer must authenticate again (version {ClientTarget.Version(response.Version)})."
                : $"Nothing changed: remember-token {id} of {name} is already revoked or cleared (version {ClientTarget.Version(response.Version)}).");
            return Cli.Success;
        });
        return command;
    }
}
