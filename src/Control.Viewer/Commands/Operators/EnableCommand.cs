using System.CommandLine;
using System.Globalization;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators enable</c>.</summary>
internal static class EnableCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new OperatorActionOptions("enable them");
        var command = options.AddTo(new Command("enable", "Enable a disabled operator again"));
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var target = await OperatorLookup.ResolveAsync(api, parse.GetValue(options.Operator)!, cancellation);
            var response = await api.PostAsync<OperatorActionResponse>(
                $"operators/{target.Id}/enable", options.Request(parse), cancellation, OperatorActionOptions.Fields);
            if (parse.GetValue(options.Json))
            {
                Output.WriteJson(context.Out, response);
                return Cli.Success;
            }

            var name = $"{target.Username}@{api.Credentials.Organization}";
            var version = response.Version.ToString(CultureInfo.InvariantCulture);
            await context.Out.WriteLineAsync(response.Changed
                ? $"Enabled {name} (status {response.Status}, version {version}). They can sign in again."
                : $"Nothing changed: {name} is already {response.Status} (version {version}).");
            return Cli.Success;
        });
        return command;
    }
}
