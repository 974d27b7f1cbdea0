using System.Security.Cryptography;
using System.Text.Json;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Security;
using Xunit.Abstractions;

namespace Control.Agent.Tests;

/// <summary>
/// Documents a real server never sends but an attacker between agent and API (or a broken proxy or cache) could:
/// each is refused, reported, and the last good policy stays in force, on disk and in the status.
/// </summary>
public sealed class PolicyRefusalTests(ITestOutputHelper log) : IDisposable
{
    private readonly AgentHarness _harness = new(log);

    public static TheoryData<string, string> BadDocuments => new()
    {
        { "signed-with-another-key", "signature does not verify with the pinned policy key" },
        { "tampered-byte", "signature does not verify with the pinned policy key" },
        { "unsigned", "it is not signed" },
        { "foreign-client", "it is for client" },
        { "older-version", "client part r4 is older than r5 in force" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task Run_BadPolicy_IsRefusedAndTheLastGoodOneStaysInForce(string kind, string reason)
    {
        var agent = await _harness.StartWithPolicyAsync(5);

        var (version, body) = BadDocument(kind);
        _harness.Api.ServeRaw(version, body);
        await agent.WaitForErrorAsync(reason);

        Assert.Contains($"refused a policy claiming v{version}", agent.Errors, StringComparison.Ordinal);
        Assert.Contains("policy v5 stays in force", agent.Errors, StringComparison.Ordinal);
        Assert.Equal(5, _harness.CachedPolicy().Policy.Version);
        var status = await _harness.StatusAsync();
        Assert.Equal(5, status.GetProperty("policy").GetProperty("version").GetInt64());
        Assert.Contains(reason, status.GetProperty("agent").GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_harness.Api.Acks, a => a.Version == version);

        // The agent keeps following: the next genuine version goes through.
        _harness.Api.ServePolicy(_harness.Sign(_harness.Policy(8, "carol@acme")));
        await agent.WaitForOutputAsync("policy v8 applied");
        await _harness.WaitForAckAsync(8, agent);
        Assert.Equal(8, _harness.CachedPolicy().Policy.Version);
        // The same refused document, retried with backoff, was reported once, not on every retry.
        Assert.Equal(1, Occurrences(agent.Errors, "refused a policy"));
    }

    private (long Version, string Body) BadDocument(string kind)
    {
        switch (kind)
        {
            case "signed-with-another-key":
                using (var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return (6, Serialize(_harness.Sign(_harness.Policy(6), impostor)));
                }

            case "tampered-byte":
                var genuine = Serialize(_harness.Sign(_harness.Policy(6)));
                var tampered = genuine.Replace("\"shell\":false", "\"shell\":true", StringComparison.Ordinal);
                Assert.NotEqual(genuine, tampered);
                return (6, tampered);
            case "unsigned":
                var whole = _harness.Sign(_harness.Policy(6));
                return (6, Serialize(new Control.Domain.Contracts.SignedPolicy(whole.Client with { Signature = "" }, whole.Organization)));
            case "foreign-client":
                return (6, Serialize(_harness.Sign(AgentHarness.Policy(6, Guid.CreateVersion7()))));
            case "older-version":
                return (4, Serialize(_harness.Sign(_harness.Policy(4))));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static string Serialize(Control.Domain.Contracts.SignedPolicy signed) => JsonSerializer.Serialize(signed, PolicySignature.Json);

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    public void Dispose() => _harness.Dispose();
}
