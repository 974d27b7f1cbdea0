using System.CommandLine;
using System.Globalization;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators disable</c>.</summary>
internal static class DisableCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new OperatorActionOptions("disable them");
        var command = options.AddTo(new Command("disable", "Disable an operator: every session of theirs ends at once; they cannot sign in until enabled"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var target = await OperatorLookup.ResolveAsync(api, parse.GetValue(options.Operator)!, cancellation);
            var response = await api.PostAsync<OperatorActionResponse>(
                $"operators/{target.Id}/disable", options.Request(parse), cancellation, OperatorActionOptions.Fields);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = $"{target.Username}@{api.Credentials.Organization}";
            var version = response.Version.ToString(CultureInfo.InvariantCulture);
            await context.Out.WriteLineAsync(response.Changed
                ? $"Disabled {name} (status {response.Status}, version {version}). Every session of theirs has ended."
                : $"Nothing changed: {name} is already {response.Status} (version {version}).");
            return Cli.Success;
        });
        return command;
    }
}
