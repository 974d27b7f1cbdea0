using Control.Domain.Contracts;
using System.CommandLine;
using Control.Viewer.Commands.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Unattended;

/// <summary><c>control unattended exclusive CLIENT --on|--off</c>.</summary>
internal static class ExclusiveCommand
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal) { ["exclusive"] = "--on/--off" };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var on = new Option<bool>("--on") { Description = "Exclusive: the unattended password is the only way in (nobody at the machine can accept a session)" };
        var off = new Option<bool>("--off") { Description = "Not exclusive: someone at the machine may also accept sessions" };
        var options = new ClientChangeOptions("change exclusive mode");
        var command = options.AddTo(new Command(
            "exclusive", "Make the unattended password the only way in (--on; needs a password set), or not (--off)") { on, off });
        command.Validators.Add(result =>
        {
            if (result.GetValue(on) == result.GetValue(off))
            {
                result.AddError("Give exactly one of --on and --off.");
            }
        });
        command.SetAction(async (parse, cancellation) =>
        {
            var exclusive = parse.GetValue(on);
            var state = exclusive ? "on" : "off";
            var text = new ClientChangeText(
                name => $"Turned exclusive unattended access to {name} {state}",
                name => $"exclusive unattended access to {name} is already {state}");
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            return await options.RunAsync(
                context, api, parse, ClientActions.SetExclusiveUnattendedAccess, options.Request(parse) with { Exclusive = exclusive }, text, cancellation, Fields);
        });
        return command;
    }
}
