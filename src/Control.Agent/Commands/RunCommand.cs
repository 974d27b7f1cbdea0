using System.CommandLine;
using Control.Agent.Policies;
using Control.Agent.Server;
using Control.Agent.Storage;

namespace Control.Agent.Commands;

/// <summary><c>control-agent run</c>: the daemon. Stops cleanly (exit 0) on SIGINT/SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var stateDirectory = AgentOptions.StateDirectory();
        var command = new Command("run", "Follow this client's signed policy: fetch each new version as soon as it exists, verify it, cache it, acknowledge it.")
        {
            stateDirectory,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var state = StateDirectory.Resolve(parse.GetValue(stateDirectory));
            var enrolment = Enrolment.Load(state) ?? throw AgentFailure.NotEnrolled(state);
            using var held = state.TryLock() ?? throw AgentFailure.Error($"another control-agent is already running with {state.Path}");
            using var key = AgentKey.Load(state, enrolment);
            foreach (var secret in new[] { state.KeyFile, state.EnrolmentFile })
            {
                if (PrivateFile.IsExposed(secret))
                {
                    Console.Error.WriteLine($"warning: {secret} is readable by other users; its secret may have leaked (chmod 600 it, and consider enrolling again)");
                }
            }

            using var api = new AgentApi(enrolment.ServerUri, enrolment.Credential);
            var status = new StatusReporter(state, enrolment.Server, Console.Out, Console.Error, TimeProvider.System);
            return await new PolicyFollower(enrolment, key, state, api, status, Console.Out, Console.Error).RunAsync(cancellation);
        });
        return command;
    }
}
