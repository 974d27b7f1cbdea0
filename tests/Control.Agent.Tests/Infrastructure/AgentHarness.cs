using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Xunit.Abstractions;

namespace Control.Agent.Tests.Infrastructure;

/// <summary>
/// One test's world: a fresh organization policy key, a <see cref="FakeControlApi"/> on a loopback port, a private state
/// directory, and the agent processes started in it (killed, and their output logged, on dispose).
/// </summary>
internal sealed class AgentHarness : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly List<AgentProcess> _agents = [];
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"control-agent-test-{Guid.NewGuid():N}");

    public AgentHarness(ITestOutputHelper log)
    {
        _log = log;
        Api = new FakeControlApi(OrganizationKey);
        StateDirectory = Path.Combine(_root, "state");
    }

    public ECDsa OrganizationKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public FakeControlApi Api { get; }

    /// <summary>Does not exist until enrolment creates it.</summary>
    public string StateDirectory { get; }

    public string PolicyFile => Path.Combine(StateDirectory, "policy.json");

    public string StatusFile => Path.Combine(StateDirectory, "status.json");

    public string Workspace => Directory.CreateDirectory(_root).FullName;

    public Task<CliResult> RunAsync(params string[] args) => AgentProcess.RunAsync([.. args, "--state-dir", StateDirectory]);

    public async Task<CliResult> EnrollAsync(params string[] extra)
    {
        var result = await RunAsync(["enroll", "--no-login-account", "--server", Api.Url, "--token", FakeControlApi.LicenseKey, "--alias", "kiosk1", .. extra]);
        Assert.True(result.Code == 0, $"enroll failed: {result}");
        return result;
    }

    public AgentProcess StartAgent()
    {
        var agent = AgentProcess.Start("run", "--state-dir", StateDirectory);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Enrols, serves <paramref name="version"/> and starts the agent; returns once that version is applied and acknowledged.</summary>
    public async Task<AgentProcess> StartWithPolicyAsync(long version)
    {
        await EnrollAsync();
        Api.ServePolicy(Sign(Policy(version)));
        var agent = StartAgent();
        await agent.WaitForOutputAsync($"policy v{version} applied");
        await WaitForAckAsync(version, agent);
        return agent;
    }

    public Task WaitForAckAsync(long version, AgentProcess agent) =>
        Eventually.Until(() => Api.Acks.Any(a => a.Version == version), $"a receipt for v{version}", context: agent.ToString);

    public ClientPolicy Policy(long version, params string[] aclEntries) => Policy(version, Api.ClientId, aclEntries);

    public static ClientPolicy Policy(long version, Guid clientId, params string[] aclEntries) => new(
        ClientPolicy.CurrentSchema,
        FakeControlApi.Organization,
        clientId,
        "123456789",
        "kiosk1@acme",
        Licensed: true,
        Removed: false,
        new PolicyAcl(aclEntries.Length > 0, aclEntries),
        new PolicyUnattended(false, false, null),
        TokenEpoch: 1,
        new PolicyTwoFactor(false, "SHA1", 6, 30, null),
        new PolicyPermissions(Exec: true, Shell: false, FileTransfer: true, Logins: ["control-session"]),
        ViewerCa: null,
        RevokedViewerSerials: [],
        TerminatedSessions: [],
        RevokedTokenIds: [],
        new PolicySessionSettings(RequireJustification: false, RecordShellSessions: true),
        version,
        "2026-11-25T10:00:00Z");

    public SignedPolicy Sign(ClientPolicy policy, ECDsa? key = null) => PolicySignature.Sign(policy, key ?? OrganizationKey, "org-key-1");

    public string OrganizationPublicKey => Convert.ToBase64String(OrganizationKey.ExportSubjectPublicKeyInfo());

    /// <summary>The policy file as the agent left it, checked against the organization key here (independently of the agent).</summary>
    public SignedPolicy CachedPolicy()
    {
        var signed = JsonSerializer.Deserialize<SignedPolicy>(File.ReadAllBytes(PolicyFile), PolicySignature.Json)!;
        Assert.True(PolicySignature.Verify(signed, OrganizationPublicKey), "the cached policy does not verify with the organization key");
        return signed;
    }

    /// <summary><c>status --json</c>, which must succeed.</summary>
    public async Task<JsonElement> StatusAsync()
    {
        var result = await RunAsync("status", "--json");
        Assert.True(result.Code == 0, $"status failed: {result}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    public Task WaitForStatusAsync(Func<JsonElement, bool> condition, string what, AgentProcess agent) =>
        Eventually.Until(async () => condition(await StatusAsync()), $"status: {what}", context: agent.ToString);

    public void Dispose()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
            _log.WriteLine($"control-agent {agent.Arguments}{Environment.NewLine}{agent}");
        }

        Api.Dispose();
        OrganizationKey.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
