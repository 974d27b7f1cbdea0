using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Organizations;

/// <summary>
/// <c>control org session-settings [--require-justification on|off] [--record-shells on|off] --reason TEXT</c>: without
/// a setting, shows them; with one, changes it on every client's policy.
/// </summary>
internal static class SessionSettingsCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var justification = Switch("--require-justification", "Whether every session must give a justification (control connect|exec|shell|cp --reason TEXT)");
        var recordShells = Switch("--record-shells", "Whether shell sessions are recorded (asciicast, uploaded to the server)");
        var reason = new Option<string?>("--reason") { Description = "Why you change the settings; recorded in the audit trail (required with a change)", HelpName = "TEXT" };
        var expectedVersion = GlobalOptions.ExpectedVersion("the organization", "'control org session-settings'");
        var json = GlobalOptions.Json();
        var command = new Command("session-settings", "Show, or change, whether sessions need a justification and whether shells are recorded")
        {
            justification, recordShells, reason, expectedVersion, json,
        };
        command.Validators.Add(result =>
        {
            var changing = result.GetResult(justification) is not null || result.GetResult(recordShells) is not null;
            if (changing && string.IsNullOrWhiteSpace(result.GetValue(reason)))
            {
                result.AddError("Option '--reason' is required to change a setting: say why; it is recorded in the audit trail.");
            }
            else if (!changing && (result.GetResult(reason) is not null || result.GetResult(expectedVersion) is not null))
            {
                result.AddError("--reason and --expected-version go with a change: add --require-justification on|off or --record-shells on|off.");
            }
        });
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var (requireJustification, record) = (OnOff(parse.GetValue(justification)), OnOff(parse.GetValue(recordShells)));
            SessionSettingsView settings;
            bool? changed = null;
            if (requireJustification is null && record is null)
            {
                settings = await api.GetAsync<SessionSettingsView>("organization/session-settings", cancellation);
            }
            else
            {
                var response = (await api.SendAsync<SessionSettingsChangeResponse>(HttpMethod.Put, "organization/session-settings",
                    new ChangeSessionSettingsRequest(requireJustification, record, parse.GetValue(reason), parse.GetValue(expectedVersion)), cancellation))
                    .Require(new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["reason"] = "--reason", ["expectedVersion"] = "--expected-version", ["settings"] = "--require-justification/--record-shells",
                    });
                (settings, changed) = (response.Settings, response.Changed);
            }

            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, settings);
                return Cli.Success;
            }

            if (changed is { } c)
            {
                await context.Out.WriteLineAsync(c
                    ? "Changed the session settings: every client's next policy carries them."
                    : "Nothing changed: the session settings already were so.");
            }

            await context.Out.WriteLineAsync($"require justification: {(settings.RequireJustification ? "on" : "off")}");
            await context.Out.WriteLineAsync($"record shells:         {(settings.RecordShellSessions ? "on" : "off")}");
            await context.Out.WriteLineAsync($"version:               {settings.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return Cli.Success;
        });
        return command;
    }

    // A bool option takes only true/false tokens; these read "on" or "off" like the rest of the CLI.
    private static Option<string?> Switch(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description, HelpName = "on|off" };
        option.AcceptOnlyFromAmong("on", "off");
        return option;
    }

    private static bool? OnOff(string? value) => value switch
    {
        "on" => true,
        "off" => false,
        _ => null,
    };
}
