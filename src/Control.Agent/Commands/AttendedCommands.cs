using System.CommandLine;
using System.Globalization;
using Control.Agent.Sessions;
using Control.Agent.Storage;
using Control.Domain.Common;

namespace Control.Agent.Commands;

/// <summary>
/// Attended mode at the machine: <c>control-agent pending</c> lists sessions waiting for acceptance,
/// <c>control-agent accept ID</c> / <c>deny ID</c> answers one. They talk to the running daemon over its control socket.
/// </summary>
internal static class AttendedCommands
{
    public static Command Pending()
    {
        var stateDirectory = AgentOptions.StateDirectory();
        var command = new Command("pending", "List session requests waiting for someone at this machine to accept or deny them (attended mode).") { stateDirectory };
        command.SetAction(async parse =>
        {
            var state = StateDirectory.ResolveForAttended(parse.GetValue(stateDirectory));
            var answer = await LocalControl.AskAsync(state.ControlSocket, new LocalCommand("pending", null));
            if (!answer.Ok)
            {
                throw AgentFailure.Error(answer.Message ?? "refused");
            }

            var pending = answer.Pending ?? [];
            if (pending.Count == 0)
            {
                Console.WriteLine("No session requests are waiting.");
                return ExitCodes.Ok;
            }

            Console.WriteLine($"{"ID",-8}{"VIEWER",-28}{"FROM",-18}{"EXPIRES IN",-12}REASON");
            foreach (var request in pending)
            {
                var left = Math.Max(0, (request.ExpiresAt - DateTimeOffset.UtcNow).TotalSeconds);
                // The person at the machine reads what a remote viewer typed: nothing in it may act on their terminal.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{UntrustedText.Inert(request.Id),-8}{UntrustedText.Inert(request.ViewerAlias),-28}{UntrustedText.Inert(request.Source),-18}{left,-12:0}{UntrustedText.Inert(request.Justification) ?? "-"}"));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Decide(bool accept)
    {
        var stateDirectory = AgentOptions.StateDirectory();
        var id = new Argument<string>("ID") { Description = "The request, as control-agent pending lists it" };
        var command = new Command(accept ? "accept" : "deny", accept
            ? "Accept a waiting session request: the viewer gets the session (attended mode)."
            : "Deny a waiting session request.")
        {
            id, stateDirectory,
        };
        command.SetAction(async parse =>
        {
            var state = StateDirectory.ResolveForAttended(parse.GetValue(stateDirectory));
            var answer = await LocalControl.AskAsync(state.ControlSocket, new LocalCommand(accept ? "accept" : "deny", parse.GetValue(id)!.Trim()));
            if (!answer.Ok)
            {
                throw AgentFailure.Error(answer.Message ?? "refused");
            }

            Console.WriteLine(UntrustedText.Inert(answer.Message));
            return ExitCodes.Ok;
        });
        return command;
    }
}
