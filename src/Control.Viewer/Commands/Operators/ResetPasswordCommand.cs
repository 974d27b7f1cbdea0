using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators reset-password</c>: voids the password and sessions and shows a new activation code, once.</summary>
internal static class ResetPasswordCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new OperatorActionOptions("reset their password");
        var command = options.AddTo(new Command(
            "reset-password", "Void an operator's password and end their sessions; prints a one-time activation code to set a new one"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var target = await OperatorLookup.ResolveAsync(api, parse.GetValue(options.Operator)!, cancellation);
            var reset = await api.PostAsync<PasswordResetResponse>(
                $"operators/{target.Id}/reset-password", options.Request(parse), cancellation, OperatorActionOptions.Fields);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(context.Out, reset);
                return Cli.Success;
            }

            var username = target.Username;
            await context.Out.WriteLineAsync($"Reset the password of {username}@{api.Credentials.Organization}; their sessions have ended.");
            await ActivationCode.WriteAsync(context.Out, api.Server, api.Credentials.Organization, username, reset.ActivationCode, reset.ActivationExpiresAt);
            return Cli.Success;
        });
        return command;
    }
}
