using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// What most attacks start from, all real processes: organization <c>acme</c> set up by its owner alice (signed in with
/// <c>control</c>), and a machine <c>desk</c> enrolled and running <c>control-agent run --listen</c> with its first policy,
/// whose sessions run as the test account.
/// </summary>
internal sealed class AttackStage(ApiProcess api, AgentDaemon agent, ControlCli alice)
{
    public const string AlicePassword = "Tundra-Orchid-Falcon-61";
    public static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AgentDaemon Agent { get; } = agent;

    public ControlCli Alice { get; } = alice;

    public string Logs => $"{Agent.Log}{Environment.NewLine}{api.Log}";

    public static async Task<AttackStage> SetUpAsync(ApiProcess api, params string[] listen)
    {
        var server = api.Server.ToString().TrimEnd('/');
        var alice = new ControlCli(Path.Combine(api.Root, "alice"));
        var setup = (await alice.RunWithInputAsync([AlicePassword, AlicePassword],
            "setup", "--server", server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => api.Log);
        (await alice.RunWithInputAsync([AlicePassword], "login", "--server", server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => api.Log);
        var licenseKey = Path.Combine(api.Root, "license-key");
        await File.WriteAllTextAsync(licenseKey, JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey);

        var agent = new AgentDaemon(Path.Combine(api.Root, "agent-desk"));
        (await agent.EnrollAsync(server, licenseKey, "desk")).ShouldExit(0, () => api.Log);
        // Before the agent starts, so that its first policy already names the account sessions run as.
        (await alice.RunAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--reason", "sessions run as the test account")).ShouldExit(0, () => api.Log);
        agent.Start(["--listen", .. listen.Length == 0 ? ["127.0.0.1:0"] : listen]);
        var stage = new AttackStage(api, agent, alice);
        await stage.WaitFor(() => agent.Printed("registered") && agent.Output.Any(l => l.StartsWith("policy v", StringComparison.Ordinal)),
            "the agent to apply its first policy and register its session endpoint");
        return stage;
    }

    public Task WaitFor(Func<bool> condition, string what) => Eventually.Until(condition, what, Bounded, () => Logs, TimeSpan.FromMilliseconds(100));

    public Task WaitFor(Func<Task<bool>> condition, string what, TimeSpan? within = null) =>
        Eventually.Until(condition, what, within ?? Bounded, () => Logs, TimeSpan.FromMilliseconds(500));

    /// <summary>The port the agent listens on, from the line it prints at start.</summary>
    public int SessionPort => int.Parse(
        System.Text.RegularExpressions.Regex.Match(string.Join('\n', Agent.Output), @"sessions: listening on 127\.0\.0\.1:(\d+)").Groups[1].Value,
        System.Globalization.CultureInfo.InvariantCulture);
}
