using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.License;

/// <summary><c>control license reset</c>: a new key, shown once; the old one enrols nothing from now on.</summary>
internal static class ResetCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal) { ["reason"] = "--reason" };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var reason = GlobalOptions.Reason("replace the license key");
        var json = GlobalOptions.Json();
        var command = new Command(
            "reset", "Replace the license key (e.g. after it leaked): the old key enrols nothing from now on; prints the new key once")
        {
            reason, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var reset = await api.PostAsync<LicenseKeyResponse>("license/reset", new ReasonRequest(parse.GetValue(reason)), cancellation, Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, reset);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(
                $"Reset the license key of {api.Credentials.Organization}: the old key enrols nothing from now on; clients already enrolled are not affected.");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync("New license key (store it somewhere safe: it is shown only now):");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync($"    {reset.LicenseKey}");
            return Cli.Success;
        });
        return command;
    }
}
