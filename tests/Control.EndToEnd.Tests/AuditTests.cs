using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Domain.Contracts;
using Npgsql;

namespace Control.EndToEnd.Tests;

/// <summary>
/// The README's audit walkthrough as an auditor runs it with the real <c>control</c> binary against the real API and a
/// live agent: who changed what (change log), who connected where (session history), who could reach the machine before a
/// change (access review as of a time), a month of changes exported to CSV, and a row edited by hand in PostgreSQL caught
/// by the chain verification.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class AuditTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const string Password = "Copper-Meadow-Lantern-47";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AgentDaemon _agent = new(Path.Combine(api.Root, "agent-desk"));

    private string Server => api.Server.ToString().TrimEnd('/');

    private string Logs => $"{_agent.Log}{Environment.NewLine}{api.Log}";

    public void Dispose() => _agent.Dispose();

    [Fact]
    public async Task Auditor_AnswersTheThreeQuestions_ExportsAMonthToCsv_AndDetectsARowEditedByHand()
    {
        var alice = Cli("alice");
        var setup = (await alice.RunWithInputAsync([Password, Password],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => api.Log);
        (await alice.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => api.Log);
        var licenseKeyFile = Path.Combine(api.Root, "license-key");
        await File.WriteAllTextAsync(licenseKeyFile, JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey);
        var bob = await SignUpAsync(alice, "bob", "technician");
        var audrey = await SignUpAsync(alice, "audrey", "auditor");

        // A machine bob may reach: his alias on its ACL, unattended access with a password alice hands him.
        (await _agent.EnrollAsync(Server, licenseKeyFile, "desk")).ShouldExit(0, () => api.Log);
        _agent.Start("--listen", "127.0.0.1:0");
        await Eventually.Until(() => _agent.Printed("registered"), "the agent to register its session endpoint", Bounded, () => Logs);
        var rotated = (await alice.RunAsync("unattended", "rotate-password", "desk", "--reason", "set up", "--json")).ShouldExit(0, () => api.Log);
        var password = JsonSerializer.Deserialize<ClientChangeResponse>(rotated.Stdout, Json)!.RevealedPassword!;
        (await alice.RunAsync("unattended", "enable", "desk", "--reason", "set up")).ShouldExit(0);
        (await alice.RunAsync("acl", "add", "desk", "bob@acme", "--reason", "on call, rota \"B\" – Zürich")).ShouldExit(0);
        (await alice.RunAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--reason", "sessions run as the test account")).ShouldExit(0);
        (await alice.RunAsync("acl", "enable", "desk", "--reason", "lock down")).ShouldExit(0);
        await Eventually.Until(() => _agent.Printed("acl on"), "the agent to apply the ACL", Bounded, () => Logs);

        // bob connects once, and once with a wrong password (denied by the agent).
        (await bob.RunWithInputAsync([password], "exec", "-q", "desk", "--", "true")).ShouldExit(0, () => Logs);
        (await bob.RunWithInputAsync(["not-the-password"], "exec", "-q", "desk", "--", "true")).ShouldExit(1, () => Logs);
        await Eventually.Until(
            async () => BobsSessions((await audrey.RunAsync("audit", "sessions", "--client", "desk", "--json")).Stdout) == 2,
            "both of bob's sessions in the history", Bounded, () => Logs);

        var beforeRemoval = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await alice.RunAsync("acl", "remove", "desk", "bob@acme", "--reason", "left the team")).ShouldExit(0);

        // Who changed what, when, why: the client's change log.
        var changes = (await audrey.RunAsync("audit", "events", "--target", "client:desk")).ShouldExit(0, () => api.Log);
        Assert.Matches(@"AclEntryRemoved\s+alice@acme.*left the team", changes.Stdout);
        Assert.Matches(@"AclEntryAdded\s+alice@acme.*on call", changes.Stdout);

        // Who connected where: bob's session and his denied attempt, with the agent's reason.
        var sessions = (await audrey.RunAsync("audit", "sessions", "--client", "desk")).ShouldExit(0, () => api.Log);
        Assert.Contains("bob@acme", sessions.Stdout, StringComparison.Ordinal);
        Assert.Contains("denied", sessions.Stdout, StringComparison.Ordinal);
        Assert.Contains("wrong unattended password", sessions.Stdout, StringComparison.Ordinal);

        // Who could reach the machine before the removal, and who can now.
        var then = (await audrey.RunAsync("access", "who-can-reach", "desk", "--at", beforeRemoval.ToString("O"))).ShouldExit(0, () => api.Log);
        Assert.Contains("bob@acme", then.Stdout, StringComparison.Ordinal);
        var now = (await audrey.RunAsync("access", "who-can-reach", "desk")).ShouldExit(0, () => api.Log);
        Assert.DoesNotContain("bob@acme", now.Stdout, StringComparison.Ordinal);

        // A month of changes to CSV: the documented header, the reason with its comma, quotes and non-ASCII intact.
        var csv = Path.Combine(api.Root, "changes.csv");
        (await audrey.RunAsync("audit", "export", "events", "--format", "csv", "--since", "30d", "--output", csv)).ShouldExit(0, () => api.Log);
        var exported = await File.ReadAllTextAsync(csv);
        Assert.StartsWith("sequence,timestamp,type,actor,target,reason,correlation_id", exported, StringComparison.Ordinal);
        Assert.Contains("\"on call, rota \"\"B\"\" – Zürich\"", exported, StringComparison.Ordinal);
        Assert.Contains("AclEntryRemoved,alice@acme", exported, StringComparison.Ordinal);

        // The chain is intact; then someone with database access rewrites the removal's reason, and verify names the row.
        var intact = (await audrey.RunAsync("audit", "verify")).ShouldExit(0, () => api.Log);
        Assert.Matches(@"intact: \d+ entries, head [0-9a-f]{16}", intact.Stdout);
        await using (var database = new NpgsqlConnection(api.ConnectionString))
        {
            await database.OpenAsync();
            await using var edit = new NpgsqlCommand(
                "update control.mt_events set headers = jsonb_set(headers, '{reason}', '\"routine cleanup\"') where type = 'acl_entry_removed' and tenant_id = 'acme'",
                database);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var broken = (await audrey.RunAsync("audit", "verify")).ShouldExit(3, () => api.Log);
        var report = broken.Stdout + broken.Stderr;
        Assert.Contains("BROKEN", report, StringComparison.Ordinal);
        Assert.Contains("AclEntryRemoved", report, StringComparison.Ordinal);
        Assert.Contains("headers", report, StringComparison.Ordinal);
    }

    private async Task<ControlCli> SignUpAsync(ControlCli owner, string user, string role)
    {
        var invite = (await owner.RunAsync("operators", "invite", user, "--role", role, "--reason", $"new {role}")).ShouldExit(0, () => api.Log);
        var code = Regex.Match(invite.Stdout, @"--code (\S+)").Groups[1].Value;
        var cli = Cli(user);
        (await cli.RunWithInputAsync([Password, Password], "activate", "--server", Server, "--org", "acme", "--user", user, "--code", code)).ShouldExit(0, () => api.Log);
        (await cli.RunWithInputAsync([Password], "login", "--server", Server, "--org", "acme", "--user", user)).ShouldExit(0, () => api.Log);
        return cli;
    }

    private static int BobsSessions(string json) => json.TrimStart().StartsWith('[')
        ? JsonDocument.Parse(json).RootElement.EnumerateArray().Count(s => s.GetProperty("viewerAlias").GetString() == "bob@acme")
        : 0;

    private ControlCli Cli(string person) => new(Path.Combine(api.Root, person, "config", "control"));
}
