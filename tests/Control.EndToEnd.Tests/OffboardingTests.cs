using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests;

/// <summary>
/// The API as the embedded default runs it (one node), pausing before each offboarding step (and each round of the ACL
/// step's batches) so a test can kill it mid-way.
/// </summary>
public sealed class PacedApiProcess : ApiProcess
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Control__SingleNode", "true"),
        new("Control__OffboardingStepDelay", "00:00:00.700"),
        // The ACL step one client per batch, two batches side by side: a handful of clients takes it through several rounds.
        new("Control__OffboardingBatchSize", "1"),
    ];
}

/// <summary>
/// HR offboards a person with the real CLI against the real API process: once while the API is killed (SIGKILL) between
/// steps and resumes, each step once; once with two live agents, whose signed receipts complete it and which then refuse
/// the person's viewer.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class OffboardingTests : IAsyncLifetime, IDisposable
{
    private const string Password = "Amber-Falcon-Orchard-64";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    // Each test gets its own API process and database: both set the organization up with the one-time bootstrap token.
    private readonly PacedApiProcess _api = new();
    private readonly List<AgentDaemon> _agents = [];

    private string Server => _api.Server.ToString().TrimEnd('/');

    public Task InitializeAsync() => _api.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
        }

        await _api.DisposeAsync();
    }

    /// <summary>Only a safety net: xunit calls <see cref="DisposeAsync"/> first, which also drops the database.</summary>
    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Offboarding_survives_a_real_kill_of_the_api_and_does_every_step_exactly_once()
    {
        var (alice, licenseKey) = await SetUpAcmeAsync();
        var bob = await SignUpAsync(alice, "bob", "technician");

        using var http = new HttpClient { BaseAddress = _api.Server, Timeout = TimeSpan.FromSeconds(30) };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enrolled = await http.PostAsJsonAsync("agent/enroll", new EnrollRequest(licenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), "door", "e2e-host"));
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        (await alice.RunAsync("acl", "enable", "door", "--reason", "only named people")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("acl", "add", "door", "bob@acme", "--reason", "support")).ShouldExit(0, () => _api.Log);

        (await alice.RunAsync("people", "add", "Bob Builder", "--email", "bob@example.com", "--reason", "hired")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("people", "link", "Bob Builder", "--operator", "bob", "--reason", "his account")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("people", "knows", "Bob Builder", "--secret", "license-key", "--reason", "he had it")).ShouldExit(0, () => _api.Log);
        var reachable = (await alice.RunAsync("access", "reachable-by", "Bob Builder")).ShouldExit(0, () => _api.Log);
        Assert.Contains("door@acme", reachable.Stdout);
        (await alice.RunAsync("offboard", "Nobody", "--reason", "left")).ShouldExit(1, () => _api.Log);

        var started = JsonSerializer.Deserialize<OffboardingResponse>(
            (await alice.RunAsync("offboard", "Bob Builder", "--reason", "left the company", "--receipt-deadline", "2", "--json")).ShouldExit(0, () => _api.Log).Stdout, Json)!;

        // Kill the API for real once a step or two are committed, then start it again on the same database.
        var status = await StatusUntilAsync(alice, started.Id, s => s.Steps.Count(step => step.Status == "done") >= 2);
        Assert.InRange(status.Steps.Count(s => s.Status == "done"), 2, 6);
        await _api.KillAsync();
        await _api.StartAsync();

        var watched = (await alice.RunAsync("offboard", "status", started.Id.ToString(), "--watch")).ShouldExit(0, () => _api.Log);
        Assert.Contains("[7/7]", watched.Stdout);
        Assert.Matches("status: completed(-with-pending)?", watched.Stdout);

        // Each step committed once, the account disabled once, all correlated to the offboarding.
        var events = JsonSerializer.Deserialize<List<AuditEventView>>(
            (await alice.RunAsync("audit", "events", "--correlation", started.Id.ToString(), "--all", "--json")).ShouldExit(0, () => _api.Log).Stdout, Json)!;
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(7, types.Count(t => t.EndsWith("offboarding_step_completed", StringComparison.Ordinal) || t == "OffboardingStepCompleted"));
        Assert.Equal(1, types.Count(t => t.EndsWith("operator_disabled", StringComparison.Ordinal) || t == "OperatorDisabled"));
        Assert.Equal(1, types.Count(t => t.EndsWith("license_key_reset", StringComparison.Ordinal) || t == "LicenseKeyReset"));

        // bob can sign in nowhere, and the report shows nothing reachable.
        (await bob.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", "bob")).ShouldExit(1, () => _api.Log);
        var report = (await alice.RunAsync("offboard", "report", started.Id.ToString())).ShouldExit(0, () => _api.Log);
        Assert.Contains("Reachable clients: **none**", report.Stdout);
        Assert.Contains("door@acme", report.Stdout);
    }

    [Fact]
    public async Task A_kill_while_the_ACL_step_commits_batches_side_by_side_changes_each_client_once()
    {
        var (alice, licenseKey) = await SetUpAcmeAsync();
        await SignUpAsync(alice, "bob", "technician");
        using var http = new HttpClient { BaseAddress = _api.Server, Timeout = TimeSpan.FromSeconds(30) };
        var desks = Enumerable.Range(1, 6).Select(i => $"desk{i}").ToList();
        foreach (var desk in desks)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var enrolled = await http.PostAsJsonAsync("agent/enroll", new EnrollRequest(licenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), desk, "e2e-host"));
            Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
            (await alice.RunAsync("acl", "enable", desk, "--reason", "only named people")).ShouldExit(0, () => _api.Log);
            (await alice.RunAsync("acl", "add", desk, "bob@acme", "--reason", "support")).ShouldExit(0, () => _api.Log);
        }

        (await alice.RunAsync("people", "add", "Bob Builder", "--reason", "hired")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("people", "link", "Bob Builder", "--operator", "bob", "--reason", "his account")).ShouldExit(0, () => _api.Log);
        var started = JsonSerializer.Deserialize<OffboardingResponse>(
            (await alice.RunAsync("offboard", "Bob Builder", "--reason", "left the company", "--receipt-deadline", "2", "--json")).ShouldExit(0, () => _api.Log).Stdout, Json)!;

        // Kill the API for real once the ACL step has committed a round of batches (shown before the step folds them).
        var status = await StatusUntilAsync(alice, started.Id, s => s.Steps[6].Changes.Count > 0);
        Assert.Equal("running", status.Steps[6].Status);
        Assert.InRange(status.Steps[6].Changes.Count, 1, desks.Count - 1);
        await _api.KillAsync();
        await _api.StartAsync();

        var watched = (await alice.RunAsync("offboard", "status", started.Id.ToString(), "--watch")).ShouldExit(0, () => _api.Log);
        Assert.Matches("status: completed(-with-pending)?", watched.Stdout);

        // Each desk's entry removed by exactly one event, and each listed once in the step's record.
        var events = JsonSerializer.Deserialize<List<AuditEventView>>(
            (await alice.RunAsync("audit", "events", "--correlation", started.Id.ToString(), "--all", "--json")).ShouldExit(0, () => _api.Log).Stdout, Json)!;
        var removals = events.Where(e => e.Type.EndsWith("acl_entry_removed", StringComparison.Ordinal) || e.Type == "AclEntryRemoved").ToList();
        Assert.Equal(desks.Count, removals.Count);
        Assert.Equal(desks.Count, removals.Select(e => e.StreamId).Distinct().Count());
        var done = JsonSerializer.Deserialize<OffboardingResponse>(
            (await alice.RunAsync("offboard", "status", started.Id.ToString(), "--json")).ShouldExit(0, () => _api.Log).Stdout, Json)!;
        Assert.Equal(desks.Select(d => $"{d}@acme").Order(StringComparer.Ordinal),
            done.Steps[6].Changes.Where(c => c.Event == "AclEntryRemoved").Select(c => c.Target).Order(StringComparer.Ordinal));
        var who = (await alice.RunAsync("access", "who-can-reach", "desk1")).ShouldExit(0, () => _api.Log);
        Assert.DoesNotContain("bob@acme", who.Stdout);
    }

    /// <summary>Polls <c>offboard status --json</c> until <paramref name="reached"/> holds, for at most a minute; the status that met it.</summary>
    private Task<OffboardingResponse> StatusUntilAsync(ControlCli cli, Guid id, Func<OffboardingResponse, bool> reached) =>
        Eventually.Until(
            async () => Parse<OffboardingResponse>((await cli.RunAsync("offboard", "status", id.ToString(), "--json")).ShouldExit(0, () => _api.Log)),
            reached, $"offboarding {id}", TimeSpan.FromSeconds(60), status => status.Status, TimeSpan.FromMilliseconds(100));

    /// <summary>alice sets acme up with the bootstrap token and signs in; her CLI and the license key.</summary>
    private async Task<(ControlCli Alice, string LicenseKey)> SetUpAcmeAsync()
    {
        var alice = Cli("alice");
        var setup = (await alice.RunWithInputAsync([Password, Password],
            "setup", "--server", Server, "--token-file", _api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => _api.Log);
        (await alice.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => _api.Log);
        return (alice, Parse<SetupResponse>(setup).LicenseKey);
    }

    /// <summary>The owner invites <paramref name="user"/>, who activates the account and signs in on their own machine.</summary>
    private async Task<ControlCli> SignUpAsync(ControlCli owner, string user, string role)
    {
        var invite = (await owner.RunAsync("operators", "invite", user, "--role", role, "--reason", $"new {role}")).ShouldExit(0, () => _api.Log);
        var code = Regex.Match(invite.Stdout, @"--code (\S+)").Groups[1].Value;
        var cli = Cli(user);
        (await cli.RunWithInputAsync([Password, Password], "activate", "--server", Server, "--org", "acme", "--user", user, "--code", code)).ShouldExit(0, () => _api.Log);
        (await cli.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", user)).ShouldExit(0, () => _api.Log);
        return cli;
    }

    private ControlCli Cli(string person) => new(Path.Combine(_api.Root, person, "config", "control"));

    private static T Parse<T>(ProcessRun run) => JsonSerializer.Deserialize<T>(run.Stdout, Json)!;
}
