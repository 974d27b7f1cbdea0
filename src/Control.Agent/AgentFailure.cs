using Control.Agent.Storage;

namespace Control.Agent;

/// <summary>
/// A failure the user can act on, already phrased for them (what went wrong, what to do next). Program prints the
/// message as it is and exits 1; nothing else catches it. Never put the credential or key material in one.
/// </summary>
internal sealed class AgentFailure : Exception
{
    public AgentFailure()
    {
    }

    public AgentFailure(string message)
        : base(message)
    {
    }

    public AgentFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; private init; } = ExitCodes.Failure;

    public static AgentFailure Error(string message) => new("error: " + message);

    public static AgentFailure Usage(string message) => new("error: " + message) { ExitCode = ExitCodes.Usage };

    public static AgentFailure NotEnrolled(StateDirectory state) =>
        new($"not enrolled: run control-agent enroll --server URL --token TOKEN (state directory {state.Path})"
            + (state.Path != StateDirectory.SystemPath && Directory.Exists(StateDirectory.SystemPath)
                ? $"; the system agent's state is in {StateDirectory.SystemPath}: sudo control-agent status --state-dir {StateDirectory.SystemPath}"
                : ""));
}
