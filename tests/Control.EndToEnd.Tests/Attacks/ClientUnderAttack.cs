using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// The scene of the session attacks: an organization whose owner alice is signed in with the real <c>control</c>, and one
/// client "desk" on a real <c>control-agent run --listen</c> (as root, as in production) with an unattended password,
/// its ACL admitting alice, and sessions running as the test login.
/// </summary>
internal sealed class ClientUnderAttack(ApiProcess api) : IDisposable
{
    private const string OwnerPassword = "Quartz-Harbor-Willow-38";
    public static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AgentDaemon Agent { get; } = new(Path.Combine(api.Root, "agent-state"));

    public ControlCli Owner { get; } = new(Path.Combine(api.Root, "alice"));

    public string Logs => $"{Agent.Log}{Environment.NewLine}{api.Log}";

    private string Server => api.Server.ToString().TrimEnd('/');

    /// <returns>alice's CLI and the client's unattended password.</returns>
    public async Task<(ControlCli Alice, string Password)> StartAsync()
    {
        var setup = (await Owner.RunWithInputAsync([OwnerPassword, OwnerPassword],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => api.Log);
        var licenseKeyFile = Path.Combine(api.Root, "license-key");
        await File.WriteAllTextAsync(licenseKeyFile, JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey);
        (await Owner.RunWithInputAsync([OwnerPassword], "login", "--server", Server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => api.Log);
        (await Agent.EnrollAsync(Server, licenseKeyFile, "desk")).ShouldExit(0, () => api.Log);
        Agent.Start("--listen", "127.0.0.1:0");
        await Eventually.Until(() => Agent.Printed("registered"), "the agent to register", Bounded, () => Logs);
        var rotated = (await Owner.RunAsync("unattended", "rotate-password", "desk", "--reason", "set up", "--json")).ShouldExit(0);
        (await Owner.RunAsync("unattended", "enable", "desk", "--reason", "set up")).ShouldExit(0);
        (await Owner.RunAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--reason", "sessions run as the test account")).ShouldExit(0);
        (await Owner.RunAsync("acl", "add", "desk", "alice@acme", "--reason", "only alice")).ShouldExit(0);
        (await Owner.RunAsync("acl", "enable", "desk", "--reason", "lock down")).ShouldExit(0);
        await Eventually.Until(() => Agent.Printed("acl on"), "the agent to apply the ACL", Bounded, () => Logs);
        return (Owner, JsonSerializer.Deserialize<ClientChangeResponse>(rotated.Stdout, Json)!.RevealedPassword!);
    }

    /// <summary>Runs an owner's change of the client and waits until the agent applied the policy it made.</summary>
    public async Task<ProcessRun> ChangeAsync(params string[] arguments)
    {
        var before = PolicyLines();
        var run = (await Owner.RunAsync(arguments)).ShouldExit(0, () => Logs);
        await Eventually.Until(() => PolicyLines() > before, $"the agent to apply '{string.Join(' ', arguments)}'", Bounded, () => Logs);
        return run;
    }

    /// <summary>The client's sessions as the API's session audit has them.</summary>
    public async Task<List<SessionSummaryView>> SessionsAsync() =>
        JsonSerializer.Deserialize<List<SessionSummaryView>>((await Owner.RunAsync("sessions", "list", "--client", "desk", "--json")).ShouldExit(0).Stdout, Json)!;

    private int PolicyLines() => Agent.Output.Count(l => l.StartsWith("policy v", StringComparison.Ordinal));

    public void Dispose() => Agent.Dispose();
}
