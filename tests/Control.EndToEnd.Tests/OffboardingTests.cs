using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests;

/// <summary>The API as the embedded default runs it (one node), pausing before each offboarding step so a test can kill it mid-way.</summary>
public sealed class PacedApiProcess : ApiProcess
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Control__SingleNode", "true"),
        new("Control__OffboardingStepDelay", "00:00:00.700"),
    ];
}

/// <summary>HR offboards a person with the real CLI; the API process is killed (SIGKILL) between steps and resumes to the end, each step once.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class OffboardingTests(PacedApiProcess api) : IClassFixture<PacedApiProcess>
{
    private const string Password = "Amber-Falcon-Orchard-64";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Offboarding_survives_a_real_kill_of_the_api_and_does_every_step_exactly_once()
    {
        var server = api.Server.ToString().TrimEnd('/');
        var alice = new ControlCli(Path.Combine(api.Root, "alice", "config", "control"));
        var setup = (await alice.RunWithInputAsync([Password, Password],
            "setup", "--server", server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => api.Log);
        var licenseKey = JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey;
        (await alice.RunWithInputAsync([Password], "login", "--server", server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => api.Log);
        var invite = (await alice.RunAsync("operators", "invite", "bob", "--role", "technician", "--reason", "support")).ShouldExit(0, () => api.Log);
        var code = Regex.Match(invite.Stdout, @"--code (\S+)").Groups[1].Value;
        var bob = new ControlCli(Path.Combine(api.Root, "bob", "config", "control"));
        (await bob.RunWithInputAsync([Password, Password], "activate", "--server", server, "--org", "acme", "--user", "bob", "--code", code)).ShouldExit(0, () => api.Log);
        (await bob.RunWithInputAsync([Password], "login", "--server", server, "--org", "acme", "--user", "bob")).ShouldExit(0, () => api.Log);

        using var http = new HttpClient { BaseAddress = api.Server, Timeout = TimeSpan.FromSeconds(30) };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enrolled = await http.PostAsJsonAsync("agent/enroll", new EnrollRequest(licenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), "door", "e2e-host"));
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        (await alice.RunAsync("acl", "enable", "door", "--reason", "only named people")).ShouldExit(0, () => api.Log);
        (await alice.RunAsync("acl", "add", "door", "bob@acme", "--reason", "support")).ShouldExit(0, () => api.Log);

        (await alice.RunAsync("people", "add", "Bob Builder", "--email", "bob@example.com", "--reason", "hired")).ShouldExit(0, () => api.Log);
        (await alice.RunAsync("people", "link", "Bob Builder", "--operator", "bob", "--reason", "his account")).ShouldExit(0, () => api.Log);
        (await alice.RunAsync("people", "knows", "Bob Builder", "--secret", "license-key", "--reason", "he had it")).ShouldExit(0, () => api.Log);
        var reachable = (await alice.RunAsync("access", "reachable-by", "Bob Builder")).ShouldExit(0, () => api.Log);
        Assert.Contains("door@acme", reachable.Stdout);
        (await alice.RunAsync("offboard", "Nobody", "--reason", "left")).ShouldExit(1, () => api.Log);

        var started = JsonSerializer.Deserialize<OffboardingResponse>(
            (await alice.RunAsync("offboard", "Bob Builder", "--reason", "left the company", "--receipt-deadline", "2", "--json")).ShouldExit(0, () => api.Log).Stdout, Json)!;

        // Kill the API for real once a step or two are committed, then start it again on the same database.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        OffboardingResponse status;
        do
        {
            await Task.Delay(150);
            status = JsonSerializer.Deserialize<OffboardingResponse>(
                (await alice.RunAsync("offboard", "status", started.Id.ToString(), "--json")).ShouldExit(0, () => api.Log).Stdout, Json)!;
        }
        while (status.Steps.Count(s => s.Status == "done") < 2 && DateTime.UtcNow < deadline);
        Assert.InRange(status.Steps.Count(s => s.Status == "done"), 2, 6);
        await api.KillAsync();
        await api.StartAsync();

        var watched = (await alice.RunAsync("offboard", "status", started.Id.ToString(), "--watch")).ShouldExit(0, () => api.Log);
        Assert.Contains("[7/7]", watched.Stdout);
        Assert.Matches("status: completed(-with-pending)?", watched.Stdout);

        // Each step committed once, the account disabled once, all correlated to the offboarding.
        var events = JsonSerializer.Deserialize<List<AuditEventView>>(
            (await alice.RunAsync("audit", "events", "--correlation", started.Id.ToString(), "--all", "--json")).ShouldExit(0, () => api.Log).Stdout, Json)!;
        var types = events.Select(e => e.Type).ToList();
        Assert.Equal(7, types.Count(t => t.EndsWith("offboarding_step_completed", StringComparison.Ordinal) || t == "OffboardingStepCompleted"));
        Assert.Equal(1, types.Count(t => t.EndsWith("operator_disabled", StringComparison.Ordinal) || t == "OperatorDisabled"));
        Assert.Equal(1, types.Count(t => t.EndsWith("license_key_reset", StringComparison.Ordinal) || t == "LicenseKeyReset"));

        // bob can sign in nowhere, and the report shows nothing reachable.
        (await bob.RunWithInputAsync([Password], "login", "--server", server, "--org", "acme", "--user", "bob")).ShouldExit(1, () => api.Log);
        var report = (await alice.RunAsync("offboard", "report", started.Id.ToString())).ShouldExit(0, () => api.Log);
        Assert.Contains("Reachable clients: **none**", report.Stdout);
        Assert.Contains("door@acme", report.Stdout);
    }
}
