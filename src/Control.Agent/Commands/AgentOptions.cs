using System.CommandLine;

namespace Control.Agent.Commands;

internal static class AgentOptions
{
    public static Option<string?> StateDirectory() => new("--state-dir")
    {
        Description = "Where the agent keeps its enrolment, key, policy cache and status. Default: $CONTROL_AGENT_STATE_DIR, "
            + "else /var/lib/control-agent when run as root, else $XDG_STATE_HOME/control-agent or ~/.local/state/control-agent.",
        HelpName = "DIR",
    };
}
