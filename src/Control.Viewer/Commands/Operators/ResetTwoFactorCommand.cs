using System.CommandLine;
using System.Globalization;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators reset-2fa</c>.</summary>
internal static class ResetTwoFactorCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new OperatorActionOptions("reset their 2FA");
        var command = options.AddTo(new Command("reset-2fa", "Remove an operator's second factor (lost device); their sessions end and they enrol again after signing in"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var target = await OperatorLookup.ResolveAsync(api, parse.GetValue(options.Operator)!, cancellation);
            var response = await api.PostAsync<OperatorActionResponse>(
                $"operators/{target.Id}/reset-2fa", options.Request(parse), cancellation, OperatorActionOptions.Fields);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = $"{target.Username}@{api.Credentials.Organization}";
            var version = response.Version.ToString(CultureInfo.InvariantCulture);
            await context.Out.WriteLineAsync(response.Changed
                ? $"Removed the second factor of {name} (status {response.Status}, version {version}). Their sessions have ended; after signing in with their password they turn 2FA on again with 'control 2fa enroll'."
                : $"Nothing changed: {name} is already {response.Status} (version {version}).");
            return Cli.Success;
        });
        return command;
    }
}
