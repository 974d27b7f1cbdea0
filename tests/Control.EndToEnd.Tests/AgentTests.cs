using System.Diagnostics;
using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests;

/// <summary>
/// The real daemon against the real API: enrol with the license key, follow the signed policy as an owner changes it
/// with the CLI (the client's own ACL and the organization-wide one), keep enforcing the cached policy while the API
/// process is killed, resume when it is back, and learn from a signed tombstone that it was removed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const string Password = "Copper-Meadow-Lantern-17";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AgentDaemon _agent = new(Path.Combine(api.Root, "agent-state"));

    private string Server => api.Server.ToString().TrimEnd('/');

    [Fact]
    public async Task Agent_EnrolsFollowsChangesWithinSecondsSurvivesAnApiKillAndLearnsItWasRemoved()
    {
        var owner = new ControlCli(Path.Combine(api.Root, "owner"));
        var setup = (await owner.RunWithInputAsync([Password, Password],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "owner", "--json")).ShouldExit(0, () => api.Log);
        var licenseKey = JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey;
        (await owner.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", "owner")).ShouldExit(0);

        var state = _agent.StateDirectory;
        var tokenFile = Path.Combine(api.Root, "license-key");
        await File.WriteAllTextAsync(tokenFile, licenseKey);
        var enrol = await _agent.EnrollAsync(Server, tokenFile, "desk");
        enrol.ShouldExit(0, () => api.Log);
        Assert.Contains("desk@acme", enrol.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(licenseKey, enrol.Stdout + enrol.Stderr, StringComparison.Ordinal);

        _agent.Start();
        var first = await WaitForStatus(state, s => s.Policy?.Version > 0, "the first policy");
        Assert.Equal("online", first.Agent.State);

        // An owner changes the ACL with the CLI; the running agent holds the new signed policy within seconds.
        var watch = Stopwatch.StartNew();
        (await owner.RunAsync("acl", "enable", "desk", "--reason", "lock down")).ShouldExit(0);
        (await owner.RunAsync("acl", "add", "desk", "*-support@acme", "--reason", "support team")).ShouldExit(0);
        var changed = await WaitForStatus(state, s => s.Policy is { Acl.Enabled: true } p && p.Acl.Entries.Contains("*-support@acme"), "the ACL change");
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the change took {watch.Elapsed}");
        await WaitFor(async () => (await Clients(owner)).Single().EnforcedPolicyVersion == changed.Policy!.Version, "the signed receipt to reach the API");

        // An organization-wide entry, added with the CLI, reaches the running agent on top of the client's own.
        (await owner.RunAsync("org", "acl", "add", "BOB@acme", "--reason", "bob covers every desk")).ShouldExit(0);
        var organizationAcl = (await owner.RunAsync("org", "acl", "list", "--json")).ShouldExit(0);
        Assert.Equal(["bob@acme"], JsonSerializer.Deserialize<OrganizationAclView>(organizationAcl.Stdout, Json)!.Entries);
        var widened = await WaitForStatus(state, s => s.Policy is { } p && p.Acl.Entries.Contains("bob@acme"), "the organization-wide entry");
        Assert.Contains("*-support@acme", widened.Policy!.Acl.Entries);
        Assert.True(widened.Policy.Version > changed.Policy!.Version);

        // The API dies; the agent keeps the cached policy in force and says it is offline.
        await api.KillAsync();
        var offline = await WaitForStatus(state, s => s.Agent.State == "offline", "the agent to notice the API is gone");
        Assert.Equal(widened.Policy.Version, offline.Policy!.Version);
        Assert.Contains("*-support@acme", offline.Policy.Acl.Entries);
        Assert.Contains("bob@acme", offline.Policy.Acl.Entries);

        // Back again: a change made now reaches the agent after its backoff.
        await api.StartAsync();
        (await owner.RunAsync("permissions", "set", "desk", "--exec", "on", "--shell", "off", "--file-transfer", "off", "--reason", "no shells")).ShouldExit(0);
        var resumed = await WaitForStatus(state, s => s.Agent.State == "online" && s.Policy?.Permissions.Shell == false, "the agent to resume");
        Assert.True(resumed.Policy!.Version > widened.Policy.Version);

        // Removed from the organization: a signed tombstone, nothing admitted any more.
        (await owner.RunAsync("clients", "remove", "desk", "--reason", "machine retired")).ShouldExit(0);
        var removed = await WaitForStatus(state, s => s.Policy?.Removed == true, "the tombstone");
        Assert.True(removed.Policy!.Acl.Enabled);
        Assert.Empty(removed.Policy.Acl.Entries);
        Assert.Contains(_agent.Output, line => line.Contains("removed", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<AgentStatus> WaitForStatus(string state, Func<AgentStatus, bool> condition, string what)
    {
        AgentStatus? last = null;
        await WaitFor(async () =>
        {
            var run = await AgentDaemon.RunAsync("status", "--state-dir", state, "--json");
            last = run.ExitCode == 0 ? JsonSerializer.Deserialize<AgentStatus>(run.Stdout, Json) : null;
            return last is not null && condition(last);
        }, what);
        return last!;
    }

    private Task WaitFor(Func<Task<bool>> condition, string what) => Eventually.Until(condition, what, Bounded, () => $"{_agent.Log}{Environment.NewLine}{api.Log}");

    private static async Task<List<ClientSummary>> Clients(ControlCli owner)
    {
        var run = (await owner.RunAsync("clients", "list", "--removed", "--json")).ShouldExit(0);
        return JsonSerializer.Deserialize<List<ClientSummary>>(run.Stdout, Json)!;
    }

    public void Dispose() => _agent.Dispose();

    /// <summary>The part of <c>control-agent status --json</c> this test reads.</summary>
    private sealed record AgentStatus(AgentState Agent, PolicyState? Policy);

    private sealed record AgentState(string State);

    private sealed record PolicyState(long Version, bool Removed, AclState Acl, PermissionsState Permissions);

    private sealed record AclState(bool Enabled, List<string> Entries);

    private sealed record PermissionsState(bool Exec, bool Shell, bool FileTransfer);
}
