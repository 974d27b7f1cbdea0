using System.Diagnostics;
using System.Net;
using Control.Agent.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Control.Agent.Tests;

/// <summary>The agent when the API goes away, revokes its credential, removes the client, or the service is stopped.</summary>
public sealed class ConnectivityTests(ITestOutputHelper log) : IDisposable
{
    private readonly AgentHarness _harness = new(log);

    [Fact]
    public async Task Run_ServerGoesAway_KeepsCachedPolicyShowsOfflineAndResumesWhenItReturns()
    {
        var agent = await _harness.StartWithPolicyAsync(2);

        _harness.Api.Stop();
        await _harness.WaitForStatusAsync(
            s => s.GetProperty("agent").GetProperty("state").GetString() == "offline"
                && s.GetProperty("agent").GetProperty("lastError").GetString()!.Contains("cannot reach", StringComparison.Ordinal),
            "offline, cannot reach the server", agent);
        var offline = await _harness.StatusAsync();
        Assert.Equal(2, offline.GetProperty("policy").GetProperty("version").GetInt64());
        Assert.True(offline.GetProperty("agent").GetProperty("running").GetBoolean());
        Assert.Equal(2, _harness.CachedPolicy().Policy.Version);

        // Let it retry a few times (backoff from 0.5 s): the transition is logged once, not per retry.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Equal(1, Occurrences(agent.Errors, "offline:"));
        Assert.Contains("policy v2 stays in force", agent.Errors, StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.ToString());
        Assert.DoesNotContain("refused a policy", agent.Errors, StringComparison.Ordinal);

        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(3, "dave@acme")));
        _harness.Api.Start();
        await agent.WaitForOutputAsync("policy v3 applied");
        Assert.Contains("online again", agent.Output, StringComparison.Ordinal);
        await _harness.WaitForAckAsync(3, agent);
        await _harness.WaitForStatusAsync(s => s.GetProperty("agent").GetProperty("state").GetString() == "online", "online", agent);
        Assert.Equal(3, (await _harness.StatusAsync()).GetProperty("policy").GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Run_CredentialRefused_KeepsPolicyMarksStatusAndRecovers()
    {
        var agent = await _harness.StartWithPolicyAsync(2);

        _harness.Api.RefuseCredential = true;
        _harness.Api.ReleaseParkedPolls();
        await agent.WaitForErrorAsync("credential refused");
        await _harness.WaitForStatusAsync(s => s.GetProperty("agent").GetProperty("credentialRefused").GetBoolean(), "credential refused", agent);
        Assert.Equal(2, (await _harness.StatusAsync()).GetProperty("policy").GetProperty("version").GetInt64());
        Assert.Equal(2, _harness.CachedPolicy().Policy.Version);
        var human = await _harness.RunAsync("status");
        Assert.Contains("REFUSED by the server", human.Output, StringComparison.Ordinal);

        _harness.Api.RefuseCredential = false;
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(3)));
        await agent.WaitForOutputAsync("policy v3 applied");
        await agent.WaitForOutputAsync("credential accepted again");
        await _harness.WaitForStatusAsync(s => !s.GetProperty("agent").GetProperty("credentialRefused").GetBoolean(), "credential accepted", agent);
        Assert.Equal(1, Occurrences(agent.Errors, "credential refused"));
    }

    [Fact]
    public async Task Run_SignedTombstone_IsStoredAndReportedAndTheAgentKeepsRunning()
    {
        var agent = await _harness.StartWithPolicyAsync(2);

        var tombstone = _harness.Policy(3) with
        {
            Removed = true,
            Licensed = false,
            Alias = null,
            Acl = new(true, []),
            Permissions = new(false, false, false, []),
        };
        _harness.Api.ServePolicy(_harness.Sign(tombstone));

        await agent.WaitForErrorAsync("this client was removed from acme; no sessions will be accepted");
        // Its signed receipt for the tombstone is what proves the removal took effect here.
        await _harness.WaitForAckAsync(3, agent);
        var cached = _harness.CachedPolicy().Policy;
        Assert.True(cached.Removed);
        Assert.Equal(3, cached.Version);
        var status = await _harness.StatusAsync();
        Assert.True(status.GetProperty("policy").GetProperty("removed").GetBoolean());
        Assert.Empty(status.GetProperty("policy").GetProperty("acl").GetProperty("entries").EnumerateArray());
        Assert.False(status.GetProperty("policy").GetProperty("permissions").GetProperty("exec").GetBoolean());
        var human = await _harness.RunAsync("status");
        Assert.Contains("YES: every session is refused", human.Output, StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.ToString());
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Run_StopSignal_DuringLongPoll_ExitsZeroWithinASecond(string signal)
    {
        var agent = await _harness.StartWithPolicyAsync(2);
        await Eventually.Until(() => _harness.Api.ParkedPolls > 0, "a parked policy request", context: agent.ToString);

        var clock = Stopwatch.StartNew();
        agent.Signal(signal);
        var code = await agent.WaitForExitAsync(TimeSpan.FromSeconds(5));
        clock.Stop();

        Assert.Equal(0, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"stopping took {clock.Elapsed.TotalMilliseconds:0} ms{Environment.NewLine}{agent}");
        Assert.Contains("stopped; policy v2 stays in force", agent.Output, StringComparison.Ordinal);
        var status = await _harness.StatusAsync();
        Assert.Equal("stopped", status.GetProperty("agent").GetProperty("state").GetString());
        Assert.False(status.GetProperty("agent").GetProperty("running").GetBoolean());
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    public void Dispose() => _harness.Dispose();
}
