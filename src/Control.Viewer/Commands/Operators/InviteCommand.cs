using System.CommandLine;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators invite</c>: creates the account and shows its one-time activation code, once.</summary>
internal static class InviteCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["username"] = "USERNAME",
        ["role"] = "--role",
        ["reason"] = "--reason",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var username = new Argument<string>("USERNAME")
        {
            Description = "Username of the new operator (2-32 lowercase letters, digits, '.', '_' or '-')",
        };
        var role = new Option<string>("--role")
        {
            Description = $"What they may do: {string.Join(", ", OperatorRoles.All)}",
            HelpName = "ROLE",
            Required = true,
        };
        role.AcceptOnlyFromAmong([.. OperatorRoles.All]);
        var reason = GlobalOptions.Reason("invite them");
        var json = GlobalOptions.Json();
        var command = new Command("invite", "Invite an operator; prints the one-time activation code to give them") { username, role, reason, json };

        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var invited = await api.PostAsync<InviteOperatorResponse>(
                "operators",
                new InviteOperatorRequest(parse.GetValue(username)!.Trim().ToLowerInvariant(), parse.GetValue(role), parse.GetValue(reason)),
                cancellation,
                Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, invited);
                return Cli.Success;
            }

            var organization = api.Credentials.Organization;
            await context.Out.WriteLineAsync($"Invited {invited.Username}@{organization} as {invited.Role}.");
            await ActivationCode.WriteAsync(context.Out, api.Server, organization, invited.Username, invited.ActivationCode, invited.ActivationExpiresAt);
            return Cli.Success;
        });
        return command;
    }
}

/// <summary>How a one-time activation code is handed over: shown once, with the exact command the person runs.</summary>
internal static class ActivationCode
{
    public static async Task WriteAsync(TextWriter output, Uri server, string organization, string username, string code, DateTimeOffset expiresAt)
    {
        await output.WriteLineAsync();
        await output.WriteLineAsync(
            $"Activation code (give this to the person; it is shown only now, and works once until {Output.Time(expiresAt)}):");
        await output.WriteLineAsync();
        await output.WriteLineAsync($"    {code}");
        await output.WriteLineAsync();
        await output.WriteLineAsync("They set their password with:");
        await output.WriteLineAsync(
            $"    control activate --server {server.ToString().TrimEnd('/')} --org {organization} --user {username} --code {code}");
    }
}
