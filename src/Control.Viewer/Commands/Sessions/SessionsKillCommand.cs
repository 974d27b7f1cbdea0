using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control sessions kill ID --reason TEXT</c>: end a live session; its agent ends it with the next policy.</summary>
internal static class SessionsKillCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var id = SessionsCommands.SessionId();
        var reason = GlobalOptions.Reason("end the session");
        var json = GlobalOptions.Json();
        var command = new Command("kill", "End a live session now: its agent ends it within a second of receiving the new policy") { id, reason, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var session = parse.GetValue(id);
            var killed = await api.PostAsync<KillSessionResponse>(
                $"sessions/{session}/kill", new KillSessionRequest(parse.GetValue(reason)), cancellation,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["reason"] = "--reason" });
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, killed);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(killed.Changed
                ? $"Session {session} is ended by an operator: its client's next policy lists it and the agent ends it at once (the viewer is told \"ended by an operator\")."
                : $"Nothing changed: session {session} was already ended by an operator; 'control sessions show {session}' tells when its agent reported the close.");
            return Cli.Success;
        });
        return command;
    }
}
