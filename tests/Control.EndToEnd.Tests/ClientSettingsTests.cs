using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.EndToEnd.Tests;

/// <summary>
/// An owner manages enrolled clients with <c>control</c> as real processes against a real API: machines enrol over HTTP
/// with their own P-256 keys (as an agent would), and each change shows up in the signed policy the agent fetches.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ClientSettingsTests(ApiProcess api) : IClassFixture<ApiProcess>
{
    private const string AlicePassword = "Amber-Falcon-Orchard-64";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string Server => api.Server.ToString().TrimEnd('/');

    [Fact]
    public async Task ClientSettings_ListAclUnattendedTagBulkShowLicenseResetRemove_WorkAsRealProcessesAndReachTheSignedPolicy()
    {
        var alice = new ControlCli(Path.Combine(api.Root, "alice", "config", "control"));
        var runs = new List<ProcessRun>();
        async Task<ProcessRun> Step(int exitCode, string[] input, params string[] arguments)
        {
            var run = await alice.RunWithInputAsync(input, arguments);
            runs.Add(run);
            return run.ShouldExit(exitCode, () => api.Log);
        }

        Task<ProcessRun> Run(params string[] arguments) => Step(0, [], arguments);

        var setup = await Step(0, [AlicePassword, AlicePassword],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme Corp", "--user", "alice", "--json");
        var licenseKey = JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey;
        await Step(0, [AlicePassword], "login", "--server", Server, "--org", "acme", "--user", "alice");

        // Two machines enrol with the license key, each with a fresh P-256 key, as the agent daemon will.
        using var http = new HttpClient { BaseAddress = api.Server, Timeout = TimeSpan.FromSeconds(30) };
        using var kioskKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var spareKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kiosk = await EnrollAsync(http, licenseKey, kioskKey, "kiosk1", HttpStatusCode.OK);
        var spare = await EnrollAsync(http, licenseKey, spareKey, "kiosk2", HttpStatusCode.OK);
        Assert.Equal(("acme", "kiosk1@acme"), (kiosk!.Organization, kiosk.Alias));

        var listed = Parse<List<ClientSummary>>(await Run("clients", "list", "--json"));
        var listedKiosk = Assert.Single(listed, c => c.Id == kiosk.ClientId);
        Assert.Equal((kiosk.ClientNumber, "kiosk1@acme", "active"), (listedKiosk.Number, listedKiosk.Alias, listedKiosk.Status));
        Assert.Contains(listed, c => c.Id == spare!.ClientId);
        var table = await Run("clients", "list");
        Assert.Matches($@"(?m)^{kiosk.ClientNumber}\s+kiosk1@acme\s+e2e-host\s+active\s", table.Stdout);

        // ACL: on, a wildcard alias; '*' needs an explicit confirmation.
        var enable = await Run("acl", "enable", "kiosk1", "--reason", "only support may connect");
        Assert.Contains($"Turned the ACL of kiosk1 ({kiosk.ClientNumber}) on", enable.Stdout, StringComparison.Ordinal);
        await Run("acl", "add", "kiosk1", "*-support@acme", "--reason", "the support team");
        var everyone = await Step(1, [], "acl", "add", "kiosk1", "*", "--reason", "open to all");
        Assert.Contains("--allow-everyone", everyone.Stderr, StringComparison.Ordinal);
        Assert.Equal("", everyone.Stdout);

        // A generated unattended password is printed once.
        var rotate = await Run("unattended", "rotate-password", "kiosk1", "--reason", "first password");
        Assert.Contains("shown only now", rotate.Stdout, StringComparison.Ordinal);
        var password = GeneratedPassword().Match(rotate.Stdout);
        Assert.True(password.Success, $"No generated password in:{Environment.NewLine}{rotate}");

        // Tags, then one change for every client with a tag, under one correlation id.
        await Run("clients", "tag", "kiosk1", "kiosk", "lobby", "--reason", "front desk kiosk");
        await Run("clients", "tag", spare!.ClientNumber, "kiosk", "--reason", "second kiosk");
        var bulk = await Run("acl", "add", "--where", "tag=kiosk", "bob@acme", "--reason", "bob covers the kiosks");
        Assert.Matches($@"(?m)^Added bob@acme to the ACL of client {kiosk.ClientNumber} \(version \d+\)\.$", bulk.Stdout);
        Assert.Matches($@"(?m)^Added bob@acme to the ACL of client {spare.ClientNumber} \(version \d+\)\.$", bulk.Stdout);
        var correlation = CorrelationLine().Match(bulk.Stdout);
        Assert.True(correlation.Success, $"No correlation id in:{Environment.NewLine}{bulk}");
        var bulkEvents = Parse<List<AuditEventView>>(await Run("audit", "events", "--correlation", correlation.Groups[1].Value, "--json"));
        Assert.Equal(
            new[] { kiosk.ClientId, spare.ClientId }.Order(),
            bulkEvents.Where(e => e.Type == "AclEntryAdded").Select(e => e.StreamId).Order());
        Assert.All(bulkEvents, e => Assert.Equal("bob covers the kiosks", e.Reason));

        var shown = Parse<ClientDetail>(await Run("clients", "show", "kiosk1", "--json"));
        Assert.True(shown.AclEnabled);
        Assert.Equal(["*-support@acme", "bob@acme"], shown.AclEntries.Order(StringComparer.Ordinal));
        Assert.True(shown.UnattendedPasswordSet);
        Assert.Equal(["kiosk", "lobby"], shown.Summary.Tags);
        var readable = await Run("clients", "show", "kiosk1");
        Assert.Contains("*-support@acme", readable.Stdout, StringComparison.Ordinal);
        Assert.Contains("unattended:", readable.Stdout, StringComparison.Ordinal);

        // The agent's view: a policy signed with the key it pinned at enrolment, carrying the ACL and the password's verifier.
        var policy = await PolicyAsync(http, kiosk, HttpStatusCode.OK);
        Assert.True(PolicySignature.Verify(policy!, kiosk.PolicyPublicKey), "the policy's signature does not verify with the key pinned at enrolment");
        Assert.True(policy!.Policy.Acl.Enabled);
        Assert.Equal(["*-support@acme", "bob@acme"], policy.Policy.Acl.Entries.Order(StringComparer.Ordinal));
        Assert.NotNull(policy.Policy.Unattended.Verifier);
        Assert.Equal(kiosk.ClientId, policy.Policy.ClientId);

        // A new license key is printed once; the old one enrols nothing any more, the new one does.
        var reset = await Run("license", "reset", "--reason", "the key was pasted into a ticket");
        Assert.Contains("shown only now", reset.Stdout, StringComparison.Ordinal);
        var newKey = Regex.Match(reset.Stdout, @"New license key[^\n]*\n\s*\n    (\S+)");
        Assert.True(newKey.Success, $"No license key in:{Environment.NewLine}{reset}");
        Assert.NotEqual(licenseKey, newKey.Groups[1].Value);
        using var lateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await EnrollAsync(http, licenseKey, lateKey, null, HttpStatusCode.Unauthorized);
        await EnrollAsync(http, newKey.Groups[1].Value, lateKey, null, HttpStatusCode.OK);
        Assert.NotNull(await PolicyAsync(http, kiosk, HttpStatusCode.OK));

        // Removed: gone from the list (still there with --removed), and the agent learns it from a signed policy.
        var remove = await Run("clients", "remove", "kiosk1", "--reason", "kiosk sold");
        Assert.Contains($"Removed kiosk1 ({kiosk.ClientNumber}) from the organization", remove.Stdout, StringComparison.Ordinal);
        var after = Parse<List<ClientSummary>>(await Run("clients", "list", "--json"));
        Assert.DoesNotContain(after, c => c.Id == kiosk.ClientId);
        Assert.Contains(after, c => c.Id == spare.ClientId);
        var withRemoved = Parse<List<ClientSummary>>(await Run("clients", "list", "--removed", "--json"));
        Assert.Equal("removed", Assert.Single(withRemoved, c => c.Id == kiosk.ClientId).Status);
        var gone = await Step(1, [], "acl", "enable", "kiosk1", "--reason", "too late");
        Assert.Contains("there is no client 'kiosk1'", gone.Stderr, StringComparison.Ordinal);
        var tombstone = await PolicyAsync(http, kiosk, HttpStatusCode.OK);
        Assert.True(tombstone!.Policy.Removed);
        Assert.True(PolicySignature.Verify(tombstone, kiosk.PolicyPublicKey));

        foreach (var run in runs)
        {
            Assert.DoesNotContain(AlicePassword, run.Stdout + run.Stderr, StringComparison.Ordinal);
        }
    }

    private static T Parse<T>(ProcessRun run) =>
        JsonSerializer.Deserialize<T>(run.Stdout, Json) ?? throw new InvalidOperationException($"No JSON in:{Environment.NewLine}{run}");

    private async Task<EnrollResponse?> EnrollAsync(HttpClient http, string licenseKey, ECDsa key, string? alias, HttpStatusCode expected)
    {
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        using var response = await http.PostAsJsonAsync("agent/enroll", new EnrollRequest(licenseKey, publicKey, alias, "e2e-host"), Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"POST /agent/enroll: expected {(int)expected}, got {(int)response.StatusCode}: {body}{Environment.NewLine}{api.Log}");
        return expected == HttpStatusCode.OK ? JsonSerializer.Deserialize<EnrollResponse>(body, Json) : null;
    }

    private async Task<SignedPolicy?> PolicyAsync(HttpClient http, EnrollResponse agent, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "agent/policy");
        request.Headers.Authorization = new AuthenticationHeaderValue("ControlAgent", agent.Credential);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET /agent/policy: expected {(int)expected}, got {(int)response.StatusCode}: {body}{Environment.NewLine}{api.Log}");
        return expected == HttpStatusCode.OK ? JsonSerializer.Deserialize<SignedPolicy>(body, Json) : null;
    }

    [GeneratedRegex(@"^    ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){4})$", RegexOptions.Multiline)]
    private static partial Regex GeneratedPassword();

    [GeneratedRegex(@"^Correlation id: (\S+) ", RegexOptions.Multiline)]
    private static partial Regex CorrelationLine();
}
