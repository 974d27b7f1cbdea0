using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Permissions;

/// <summary><c>control permissions set CLIENT --exec on|off --shell on|off --file-transfer on|off</c>: all three, always.</summary>
internal static class SetCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["permissions"] = "--exec/--shell/--file-transfer",
        ["exec"] = "--exec",
        ["shell"] = "--shell",
        ["fileTransfer"] = "--file-transfer",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var exec = Switch("--exec", "Whether sessions may run commands");
        var shell = Switch("--shell", "Whether sessions may open an interactive shell");
        var fileTransfer = Switch("--file-transfer", "Whether sessions may transfer files");
        var options = new ClientChangeOptions("change what sessions may do");
        var command = options.AddTo(new Command(
            "set", "Set what sessions on a client may do; all three of --exec, --shell and --file-transfer are required, so nothing is left implicit")
        {
            exec, shell, fileTransfer,
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var permissions = new PolicyPermissions(parse.GetValue(exec) == "on", parse.GetValue(shell) == "on", parse.GetValue(fileTransfer) == "on", []);
            var shown = ShowCommand.Permissions(permissions);
            var text = new ClientChangeText(
                name => $"Sessions on {name} may now: {shown}",
                name => $"the permissions of {name} are already {shown}");
            var request = options.Request(parse) with { Exec = permissions.Exec, Shell = permissions.Shell, FileTransfer = permissions.FileTransfer };
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(context, api, parse, ClientActions.SetSessionPermissions, request, text, cancellation, Fields);
        });
        return command;
    }

    private static Option<string> Switch(string name, string description)
    {
        var option = new Option<string>(name) { Description = description + ": on or off", HelpName = "on|off", Required = true };
        option.AcceptOnlyFromAmong("on", "off");
        return option;
    }
}
