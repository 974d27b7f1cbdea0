using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// The scene of the session attacks: the <see cref="AttackStage"/> (organization acme, its owner alice signed in with the
/// real <c>control</c>, client "desk" on a real <c>control-agent run --listen</c> as root, sessions as the test login),
/// with an unattended password and an ACL that admits alice.
/// </summary>
internal sealed class ClientUnderAttack(ApiProcess api) : IDisposable
{
    public static readonly TimeSpan Bounded = AttackStage.Bounded;
    public static readonly JsonSerializerOptions Json = AttackStage.Json;

    private AttackStage? _stage;

    private AttackStage Stage => _stage ?? throw new InvalidOperationException("StartAsync first");

    public AgentDaemon Agent => Stage.Agent;

    public ControlCli Owner => Stage.Alice;

    public string Logs => _stage?.Logs ?? api.Log;

    /// <returns>alice's CLI and the client's unattended password.</returns>
    public async Task<(ControlCli Alice, string Password)> StartAsync()
    {
        _stage = await AttackStage.SetUpAsync(api);
        var rotated = (await Owner.RunAsync("unattended", "rotate-password", "desk", "--reason", "set up", "--json")).ShouldExit(0, () => Logs);
        (await Owner.RunAsync("unattended", "enable", "desk", "--reason", "set up")).ShouldExit(0, () => Logs);
        (await Owner.RunAsync("acl", "add", "desk", "alice@acme", "--reason", "only alice")).ShouldExit(0, () => Logs);
        (await Owner.RunAsync("acl", "enable", "desk", "--reason", "lock down")).ShouldExit(0, () => Logs);
        await Stage.WaitFor(() => Agent.Printed("acl on"), "the agent to apply the ACL");
        return (Owner, JsonSerializer.Deserialize<ClientChangeResponse>(rotated.Stdout, Json)!.RevealedPassword!);
    }

    /// <summary>Runs an owner's change of the client and waits until the agent applied the policy it made.</summary>
    public async Task<ProcessRun> ChangeAsync(params string[] arguments)
    {
        var before = PolicyLines();
        var run = (await Owner.RunAsync(arguments)).ShouldExit(0, () => Logs);
        await Stage.WaitFor(() => PolicyLines() > before, $"the agent to apply '{string.Join(' ', arguments)}'");
        return run;
    }

    /// <summary>The client's sessions as the API's session audit has them.</summary>
    public async Task<List<SessionSummaryView>> SessionsAsync() =>
        JsonSerializer.Deserialize<List<SessionSummaryView>>((await Owner.RunAsync("sessions", "list", "--client", "desk", "--json")).ShouldExit(0).Stdout, Json)!;

    private int PolicyLines() => Agent.Output.Count(l => l.StartsWith("policy v", StringComparison.Ordinal));

    public void Dispose() => _stage?.Agent.Dispose();
}
