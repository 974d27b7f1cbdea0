using System.Text.RegularExpressions;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician in a recorded shell who wants what they did gone from the evidence: edit or delete the
/// recording before it leaves the machine, or kill the session so that it never does. Defence: the agent writes the
/// recording from the terminal in its own state (out of the login's reach), seals it in parts while the session runs,
/// puts each part's SHA-256 in the audit trail first, and uploads the part at once; the API keeps only bytes that match.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class RecordingOutOfReachTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private readonly ClientUnderAttack _client = new(api);

    [Fact]
    public async Task Recording_OfALiveShell_ReachesTheAuditBeforeTheSessionEnds()
    {
        var (alice, password) = await _client.StartAsync();

        // A remember-token first, so that standard input goes to the shell, not to a password prompt.
        (await alice.RunWithInputAsync([password], "exec", "-q", "--remember", "desk", "--", "true")).ShouldExit(0, () => _client.Logs);
        var shell = alice.RunWithInputAsync(["echo evidence-$((6*7))", "sleep 25", "exit"], "shell", "-q", "desk");
        await Eventually.Until(() => _client.Agent.Output.Any(l => l.Contains(": shell ", StringComparison.Ordinal)), "the shell to start",
            ClientUnderAttack.Bounded, () => _client.Logs);
        var id = SessionId().Match(_client.Agent.Output.First(l => l.Contains(": shell ", StringComparison.Ordinal))).Groups[1].Value;

        // Within a part interval (10 s) and an upload, while the shell still sleeps: the API has what was shown.
        await Eventually.Until(async () =>
        {
            var raw = await alice.RunAsync("sessions", "replay", id, "--raw");
            return raw.ExitCode == 0 && raw.Stdout.Contains("evidence-42", StringComparison.Ordinal);
        }, "the first part of the recording at the API", ClientUnderAttack.Bounded, () => _client.Logs, TimeSpan.FromMilliseconds(500));
        Assert.False(shell.IsCompleted, "the shell ended before its recording reached the API");
        var live = (await _client.SessionsAsync()).Single(s => s.SessionId.ToString() == id);
        Assert.True(live.Live);
        Assert.True(live.HasRecording);

        (await shell).ShouldExit(0, () => _client.Logs);
    }

    [GeneratedRegex(@"session ([0-9a-f-]{36})")]
    private static partial Regex SessionId();

    public void Dispose() => _client.Dispose();
}
