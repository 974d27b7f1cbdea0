using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Security;
using Xunit.Abstractions;

namespace Control.Agent.Tests;

/// <summary>The running agent against a server that behaves: policies are applied, cached, acknowledged, and pushed through the long poll.</summary>
public sealed class PolicyFollowingTests(ITestOutputHelper log) : IDisposable
{
    private readonly AgentHarness _harness = new(log);

    [Fact]
    public async Task Run_SignedPolicy_IsAppliedCachedAndAcknowledgedWithTheEnrolmentKey()
    {
        await _harness.EnrollAsync();
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(12, "alice@acme", "*@acme")));

        var agent = _harness.StartAgent();
        await agent.WaitForOutputAsync("policy v12 applied (acl on: 2 entries, unattended off, 2fa off, justification optional, shells recorded)");
        await _harness.WaitForAckAsync(12, agent);

        var cached = _harness.CachedPolicy();
        Assert.Equal(12, cached.Policy.Version);
        Assert.Equal(["*@acme", "alice@acme"], cached.Policy.Acl.Entries.Order(StringComparer.Ordinal));
        Assert.Equal(PrivateMode, File.GetUnixFileMode(_harness.PolicyFile));

        // The receipt is signed by the key the agent enrolled with, over both parts' digests as the agent verified them.
        var receipt = Assert.Single(_harness.Api.Acks);
        using var agentKey = ECDsa.Create();
        agentKey.ImportSubjectPublicKeyInfo(Convert.FromBase64String(_harness.Api.EnrolledPublicKey!), out _);
        Assert.Equal(
            (cached.Client.Policy.Revision, cached.Organization.Policy.Revision),
            (receipt.ClientRevision, receipt.OrganizationRevision));
        Assert.Equal(PolicyReceipts.Digest(PolicySignature.CanonicalBytes(cached.Client.Policy)), receipt.ClientDigest);
        Assert.Equal(PolicyReceipts.Digest(PolicySignature.CanonicalBytes(cached.Organization.Policy)), receipt.OrganizationDigest);
        Assert.True(PolicyReceipts.Verify(agentKey, _harness.Api.ClientId, receipt), "the receipt's signature does not verify with the enrolled key");
        Assert.False(PolicyReceipts.Verify(agentKey, _harness.Api.ClientId, receipt with { OrganizationDigest = new string('0', 64) }),
            "the receipt must be bound to the parts' content");

        var status = await _harness.StatusAsync();
        Assert.Equal(12, status.GetProperty("policy").GetProperty("version").GetInt64());
        Assert.Equal("online", status.GetProperty("agent").GetProperty("state").GetString());
        Assert.True(status.GetProperty("agent").GetProperty("running").GetBoolean());
    }

    [Fact]
    public async Task Run_NewVersionWhileParked_ArrivesThroughTheLongPollWithinASecond()
    {
        var agent = await _harness.StartWithPolicyAsync(3);
        await Eventually.Until(() => _harness.Api.ParkedPolls > 0, "a parked policy request", context: agent.ToString);
        var requestsBefore = _harness.Api.PolicyRequests;

        var clock = Stopwatch.StartNew();
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(4, "bob@acme")));
        await agent.WaitForOutputAsync("policy v4 applied (acl on: 1 entry, unattended off, 2fa off, justification optional, shells recorded)");
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"v4 took {clock.Elapsed.TotalMilliseconds:0} ms to apply{Environment.NewLine}{agent}");
        // One request woke up with the change: the agent was waiting, not polling in a loop.
        Assert.True(_harness.Api.PolicyRequests - requestsBefore <= 2, $"{_harness.Api.PolicyRequests - requestsBefore} policy requests for one change");
        await _harness.WaitForAckAsync(4, agent);
        Assert.Equal(4, _harness.CachedPolicy().Policy.Version);
    }

    [Fact]
    public async Task Run_NewPolicy_ItsReceiptRidesOnTheNextPolicyRequestAtOnce()
    {
        var agent = await _harness.StartWithPolicyAsync(5);
        await Eventually.Until(() => _harness.Api.ParkedPolls > 0, "a parked policy request", context: agent.ToString);
        var requestsBefore = _harness.Api.PolicyRequests;

        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(6, "carol@acme")));
        await agent.WaitForOutputAsync("policy v6 applied");
        var applied = Stopwatch.StartNew();
        await _harness.WaitForAckAsync(6, agent);
        applied.Stop();

        // No request of its own and no waiting: the agent asks for the next policy at once, and the receipt goes with it.
        Assert.True(applied.Elapsed < TimeSpan.FromSeconds(1.5), $"the receipt for v6 took {applied.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(1, _harness.Api.PolicyRequests - requestsBefore);
        Assert.Equal(6, _harness.CachedPolicy().Policy.Version);

        // The agent counts it as delivered when the server answers that (parked) request: here, with the next policy.
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(7, "carol@acme")));
        await agent.WaitForOutputAsync("policy v7 applied");
        await _harness.WaitForStatusAsync(s => s.GetProperty("agent").GetProperty("acknowledgedVersion").GetInt64() == 6, "acknowledged v6", agent);
        await _harness.WaitForAckAsync(7, agent);
    }

    [Fact]
    public async Task Run_Restarted_KeepsTheCachedPolicyAndAsksOnlyForNewerOnes()
    {
        var first = await _harness.StartWithPolicyAsync(7);
        first.Terminate();
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(5)));
        var acksBefore = _harness.Api.Acks.Count;

        var second = _harness.StartAgent();
        await second.WaitForOutputAsync("policy v7 in force");
        await Eventually.Until(() => _harness.Api.ParkedPolls > 0, "a parked policy request", context: second.ToString);

        // It sent If-None-Match "7" (so the server parked it) and did not apply v7 again. The first agent was stopped
        // while the request carrying its receipt was parked, so it never learnt the answer: the receipt may come again.
        Assert.DoesNotContain("applied", second.Output, StringComparison.Ordinal);
        Assert.All(_harness.Api.Acks.Skip(acksBefore), receipt => Assert.Equal(7, receipt.Version));
    }

    [Fact]
    public async Task Run_SecondAgentOnTheSameState_IsRefusedAndTheFirstKeepsRunning()
    {
        var first = await _harness.StartWithPolicyAsync(2);

        var second = await _harness.RunAsync("run");

        Assert.True(second.Code == 1, second.ToString());
        Assert.Contains("another control-agent is already running", second.Errors, StringComparison.Ordinal);
        Assert.False(first.HasExited, first.ToString());
    }

    private const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public void Dispose() => _harness.Dispose();
}
