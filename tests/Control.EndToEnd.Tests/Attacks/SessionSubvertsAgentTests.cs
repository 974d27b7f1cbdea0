using System.Security.Cryptography;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician admitted to a client (ACL and unattended password), with exec, shell or only file transfer.
/// Threat: the session runs with the agent's rights and subverts the agent: reads its key and API credential (to forge
/// receipts and session events), edits its queued audit or its recordings, or plants a policy key of its own in
/// agent.json/policy.json so that after a restart the agent refuses every real policy, an offboarding's included.
/// Defence: every channel runs as a login the signed policy permits (never as the agent, root only where named), the
/// state is the agent's alone (0700), and the agent refuses to start on state another account could have written.
/// All real processes: the API, control-agent run (as root, as in production) and the control CLI.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SessionSubvertsAgentTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private readonly ClientUnderAttack _client = new(api);

    [Fact]
    public async Task Session_AsAnUnprivilegedLogin_CannotReadOrWriteTheAgentsState()
    {
        var (alice, password) = await _client.StartAsync();
        var state = _client.Agent.StateDirectory;
        var before = Snapshot(state);
        var uid = TestAccount.Run("id", "-u", TestAccount.Name).Trim();

        // The session runs as the login, with its groups, not as the agent (root).
        var id = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "id", "-u")).ShouldExit(0, () => _client.Logs);
        Assert.Equal(uid, id.Stdout.Trim());

        // exec: the key, the credential and the queued audit are out of reach, and nothing can be planted.
        var readKey = await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "cat", Path.Combine(state, "agent.key"));
        Assert.NotEqual(0, readKey.ExitCode);
        Assert.DoesNotContain("PRIVATE KEY", readKey.Stdout, StringComparison.Ordinal);
        var readCredential = await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "cat", Path.Combine(state, "agent.json"));
        Assert.NotEqual(0, readCredential.ExitCode);
        var plant = await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "sh", "-c",
            $"echo forged > {Path.Combine(state, "policy.json")}; echo forged > {Path.Combine(state, "agent.json")}; ls {Path.Combine(state, "session-events")}");
        Assert.NotEqual(0, plant.ExitCode);
        Assert.Contains("Permission denied", plant.Stderr, StringComparison.Ordinal);

        // File transfer alone: neither downloads the key nor uploads over the pinned policy key.
        var stolen = Path.Combine(api.Root, "stolen.key");
        var download = (await alice.RunWithInputAsync([password], "cp", "-q", $"desk:{Path.Combine(state, "agent.key")}", stolen)).ShouldExit(1);
        Assert.Contains("may not read", download.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(stolen) && File.ReadAllText(stolen).Contains("PRIVATE KEY", StringComparison.Ordinal));
        var forged = Path.Combine(api.Root, "forged-agent.json");
        await File.WriteAllTextAsync(forged, "{\"policyPublicKey\":\"forged\"}");
        var upload = (await alice.RunWithInputAsync([password], "cp", "-q", forged, $"desk:{Path.Combine(state, "agent.json")}")).ShouldExit(1);
        Assert.Contains($"the login {TestAccount.Name} may not write in {state}", upload.Stderr, StringComparison.Ordinal);

        // Recordings are written by the agent from the terminal, out of the session's reach.
        var recordings = await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "ls", Path.Combine(state, "recordings"));
        Assert.NotEqual(0, recordings.ExitCode);

        Assert.Equal(before["agent.key"], Snapshot(state)["agent.key"]);
        Assert.Equal(before["agent.json"], Snapshot(state)["agent.json"]);
        Assert.NotEqual("forged", (await File.ReadAllTextAsync(Path.Combine(state, "policy.json"))).Trim());

        // What the login may do, it does as itself: an uploaded file is the login's, with the machine's login umask (022).
        var mine = Path.Combine(api.Root, "note.txt");
        await File.WriteAllTextAsync(mine, "for the user");
        (await alice.RunWithInputAsync([password], "cp", "-q", mine, "desk:~/note.txt")).ShouldExit(0, () => _client.Logs);
        Assert.Equal($"{uid} 644", TestAccount.Run("stat", "--format=%u %a", Path.Combine(TestAccount.Home, "note.txt")).Trim());

        // State another account could have written (here: a policy cache anyone may write) is refused at start.
        _client.Agent.Dispose();
        var policy = Path.Combine(state, "policy.json");
        File.SetUnixFileMode(policy, File.GetUnixFileMode(policy) | UnixFileMode.OtherWrite);
        var run = await AgentDaemon.RunAsync("run", "--state-dir", state);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"refusing to start: {policy} is writable by other accounts", run.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Snapshot(string state) =>
        new[] { "agent.key", "agent.json" }.ToDictionary(f => f, f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(state, f)))));

    public void Dispose() => _client.Agent.Dispose();
}
