using Control.Agent.Storage;

namespace Control.Agent.Tests;

public class StateDirectoryTests
{
    private static readonly Dictionary<string, string> Everything = new()
    {
        ["CONTROL_AGENT_STATE_DIR"] = "/srv/agent-state",
        ["XDG_STATE_HOME"] = "/home/kim/.state",
        ["HOME"] = "/home/kim",
    };

    [Fact]
    public void Resolve_OptionWinsOverEverything() =>
        Assert.Equal("/tmp/x", StateDirectory.Resolve("/tmp/x", Lookup(Everything), privileged: true).Path);

    [Fact]
    public void Resolve_EnvironmentVariableWinsOverTheDefaults() =>
        Assert.Equal("/srv/agent-state", StateDirectory.Resolve(null, Lookup(Everything), privileged: true).Path);

    [Fact]
    public void Resolve_RootWithoutSettings_UsesVarLib() =>
        Assert.Equal("/var/lib/control-agent", StateDirectory.Resolve(null, Lookup(Without("CONTROL_AGENT_STATE_DIR")), privileged: true).Path);

    [Fact]
    public void Resolve_UserWithXdgStateHome_UsesIt() =>
        Assert.Equal("/home/kim/.state/control-agent", StateDirectory.Resolve(null, Lookup(Without("CONTROL_AGENT_STATE_DIR")), privileged: false).Path);

    [Fact]
    public void Resolve_UserWithoutXdg_UsesLocalStateInHome() =>
        Assert.Equal("/home/kim/.local/state/control-agent",
            StateDirectory.Resolve(" ", Lookup(Without("CONTROL_AGENT_STATE_DIR", "XDG_STATE_HOME")), privileged: false).Path);

    private static Dictionary<string, string> Without(params string[] names) =>
        Everything.Where(e => !names.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value);

    private static Func<string, string?> Lookup(Dictionary<string, string> environment) => name => environment.GetValueOrDefault(name);
}
