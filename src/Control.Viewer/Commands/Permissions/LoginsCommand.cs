using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Permissions;

/// <summary><c>control permissions logins CLIENT --login NAME [--login NAME ...] [--allow-root]</c>: the accounts sessions may run as.</summary>
internal static class LoginsCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["logins"] = "--login",
        ["allowRoot"] = "--allow-root",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var logins = new Option<string[]>("--login")
        {
            Description = "A local account sessions on the client may run as; repeat it for several, the default (what a viewer without --login gets) first",
            HelpName = "NAME",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var allowRoot = new Option<bool>("--allow-root")
        {
            Description = "Confirm that sessions may run as root: such a session can read and change everything on the client, the agent's own keys and audit queue included",
        };
        var options = new ClientChangeOptions("change which accounts sessions run as");
        var command = options.AddTo(new Command(
            "logins", "Set the local accounts sessions on a client may run as (replaces the list; a session as an account not listed is refused)")
        {
            logins, allowRoot,
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var names = parse.GetValue(logins)!.Select(l => l.Trim()).ToList();
            var shown = string.Join(", ", names);
            var text = new ClientChangeText(
                name => $"Sessions on {name} may now run as: {shown} (default {names[0]})",
                name => $"the logins of {name} are already {shown}");
            var request = options.Request(parse) with { Logins = names, AllowRoot = parse.GetValue(allowRoot) };
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.SetSessionLogins, request, text, cancellation, Fields);
        });
        return command;
    }
}
