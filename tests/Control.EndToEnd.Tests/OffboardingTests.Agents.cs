using System.Text.RegularExpressions;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests;

public sealed partial class OffboardingTests
{
    private static readonly string[] Machines = ["door", "till"];

    private string Logs => string.Join(Environment.NewLine, _agents.Select(a => a.Log).Append(_api.Log));

    /// <summary>
    /// The feature's "done when", every process real. bob had an account, his alias on two clients' ACLs, the license
    /// key, both clients' unattended passwords (the agents reported his logins) and a remember-token. HR runs one
    /// command; both live agents send signed receipts and it completes. Then his viewer, its certificate and
    /// remember-token still on disk, gets into neither client: not through the API, and not with the API down, from the
    /// agents' cached policies. The access review, the report and his exposure show nothing left.
    /// </summary>
    [Fact]
    public async Task Offboarding_WithTwoLiveAgents_CompletesOnTheirReceiptsAndLeavesThePersonNoWayIn()
    {
        var (alice, licenseKey) = await SetUpAcmeAsync();
        var licenseKeyFile = Path.Combine(_api.Root, "license-key");
        await File.WriteAllTextAsync(licenseKeyFile, licenseKey);
        var agents = Machines.ToDictionary(machine => machine, machine => new AgentDaemon(Path.Combine(_api.Root, "agent-" + machine)));
        _agents.AddRange(agents.Values);

        // What does not depend on each other runs side by side (each is a few CLI processes, slow on a busy machine):
        // bob and hana sign up; two machines, each with its own agent daemon accepting sessions, get bob on their ACLs
        // and unattended access with a password generated for (and shown to) alice.
        var bobSignsUp = SignUpAsync(alice, "bob", "technician");
        var hanaSignsUp = SignUpAsync(alice, "hana", "hr");
        var machines = Task.WhenAll(agents.Select(async pair =>
        {
            var (machine, agent) = pair;
            (await agent.EnrollAsync(Server, licenseKeyFile, machine)).ShouldExit(0, () => _api.Log);
            agent.Start("--listen", "127.0.0.1:0");
            var rotated = (await alice.RunAsync("unattended", "rotate-password", machine, "--reason", "set up", "--json")).ShouldExit(0, () => _api.Log);
            (await alice.RunAsync("unattended", "enable", machine, "--reason", "set up")).ShouldExit(0, () => _api.Log);
            (await alice.RunAsync("acl", "add", machine, "bob@acme", "--reason", "bob looks after it")).ShouldExit(0, () => _api.Log);
            (await alice.RunAsync("permissions", "logins", machine, "--login", TestAccount.Name, "--reason", "sessions run as the test account")).ShouldExit(0, () => _api.Log);
            (await alice.RunAsync("acl", "enable", machine, "--reason", "only named people")).ShouldExit(0, () => _api.Log);
            return KeyValuePair.Create(machine, Parse<ClientChangeResponse>(rotated).RevealedPassword!);
        }));
        var bob = await bobSignsUp;
        var hana = await hanaSignsUp;
        var passwords = new Dictionary<string, string>(await machines);

        foreach (var (machine, agent) in agents)
        {
            await Eventually.Until(() => agent.Printed("sessions: registered") && agent.Printed("acl on: 1 entry, unattended on"),
                $"the {machine} agent to register its session endpoint and apply the policy with bob's ACL", Bounded, () => Logs);
        }

        // bob signs in to each client with its password (so he knows both), keeping a remember-token for door, which works.
        (await bob.RunWithInputAsync([passwords["door"]], "exec", "-q", "--remember", "door", "--", "true")).ShouldExit(0, () => Logs);
        (await bob.RunWithInputAsync([passwords["till"]], "exec", "-q", "till", "--", "true")).ShouldExit(0, () => Logs);
        var remembered = (await bob.RunAsync("exec", "door", "--", "true")).ShouldExit(0, () => Logs);
        Assert.Contains("remember-token", remembered.Stderr, StringComparison.Ordinal);

        // HR records him; an admin, who may manage his account, links it and records that he knows the license key.
        (await hana.RunAsync("people", "add", "Bob Builder", "--email", "bob@example.com", "--reason", "hired")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("people", "link", "Bob Builder", "--operator", "bob", "--reason", "his account")).ShouldExit(0, () => _api.Log);
        (await alice.RunAsync("people", "knows", "Bob Builder", "--secret", "license-key", "--reason", "he installed the agents")).ShouldExit(0, () => _api.Log);

        // The agents' session events reach the API from their on-disk queues in their own time.
        ExposureResponse? exposure = null;
        await Eventually.Until(async () =>
        {
            exposure = Parse<ExposureResponse>((await hana.RunAsync("people", "exposure", "Bob Builder", "--json")).ShouldExit(0, () => _api.Log));
            return Known(exposure) == "license-key (license key of acme), remember-token (door@acme), unattended-password (door@acme), unattended-password (till@acme)";
        }, "bob's logins and remember-token to show in his exposure", Bounded, () => $"last seen: {Known(exposure)}{Environment.NewLine}{Logs}", TimeSpan.FromMilliseconds(500));

        // HR's one command, followed live: the seven steps, then both agents' signed receipts.
        var offboarded = (await hana.RunAsync("offboard", "Bob Builder", "--reason", "left", "--watch")).ShouldExit(0, () => Logs);
        var id = Regex.Match(offboarded.Stdout, "Offboarding ([0-9a-f-]{36}) of Bob Builder started").Groups[1].Value;
        Assert.True(Guid.TryParse(id, out _), offboarded.ToString());
        for (var step = 1; step <= 7; step++)
        {
            Assert.Contains($"  [{step}/7] ", offboarded.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("receipts: 2/2 agents enforce the new policy", offboarded.Stdout, StringComparison.Ordinal);
        Assert.Equal("status: completed", offboarded.Stdout.Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("status: ", StringComparison.Ordinal)));

        // With the API down, bob's viewer uses the directory entries it saved (fresh ones are used without asking the API)
        // and the certificate on its disk and reaches the agents themselves: they refuse him on the policy they hold.
        await _api.KillAsync();
        foreach (var (machine, agent) in agents)
        {
            var refused = await bob.RunAsync("exec", machine, "--", "true");
            AssertRefusedReadably(refused);
            Assert.Contains($"({machine}@acme) dropped the connection before the session started", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("the agent refuses viewer certificates that are expired, revoked", refused.Stderr, StringComparison.Ordinal);
            await Eventually.Until(() => agent.Output.Any(l => l.Contains("refused in the TLS handshake: certificate", StringComparison.Ordinal) && l.Contains(" is revoked", StringComparison.Ordinal)),
                $"the {machine} agent to refuse bob's revoked certificate", Bounded, () => $"{refused}{Environment.NewLine}{Logs}");
        }

        // With the API back, his viewer is still refused everywhere; meanwhile
        // HR reads the access review, the report and his exposure: nothing left.
        await _api.StartAsync();
        var reachableBy = hana.RunAsync("access", "reachable-by", "Bob Builder");
        var reported = hana.RunAsync("offboard", "report", id);
        var exposed = hana.RunAsync("people", "exposure", "Bob Builder");
        foreach (var machine in Machines)
        {
            var refused = await bob.RunAsync("exec", machine, "--", "true");
            AssertRefusedReadably(refused);
            // Refused by the API (his account and tokens are dead), or, with a fresh saved directory entry that needs no
            // API lookup, by the agent itself (his certificate is revoked in the policy it holds).
            Assert.True(
                refused.Stderr.Contains("not signed in", StringComparison.Ordinal)
                || refused.Stderr.Contains("dropped the connection before the session started", StringComparison.Ordinal),
                refused.ToString());
        }

        var reachable = (await reachableBy).ShouldExit(0, () => _api.Log);
        Assert.Contains("no active operator account", reachable.Stdout, StringComparison.Ordinal);
        Assert.Contains("Nothing reachable.", reachable.Stdout, StringComparison.Ordinal);
        var report = (await reported).ShouldExit(0, () => _api.Log).Stdout;
        Assert.Contains("- Status: **completed**", report, StringComparison.Ordinal);
        Assert.Contains("Reachable clients: **none**", report, StringComparison.Ordinal);
        Assert.Contains("license key reset", report, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(report, "all remember-tokens cleared"));
        Assert.Equal(2, Regex.Count(report, "unattended password rotated"));
        Assert.Equal(2, Regex.Count(report, "removed from the access control list"));
        foreach (var machine in Machines)
        {
            Assert.Matches($@"\| {machine}@acme \| \d+ \| received \| \d+ \|", report);
        }

        var after = (await exposed).ShouldExit(0, () => _api.Log);
        Assert.Contains("Bob Builder knows no current secret.", after.Stdout, StringComparison.Ordinal);
    }

    private static string Known(ExposureResponse? exposure) =>
        exposure is null ? "-" : string.Join(", ", exposure.Secrets.Select(s => $"{s.Secret} ({s.Subject})").Order(StringComparer.Ordinal));

    /// <summary>Refused with a message meant for a person: a non-zero exit, a reason, no stack trace and no "unexpected failure".</summary>
    private static void AssertRefusedReadably(ProcessRun run)
    {
        Assert.True(run.ExitCode != 0, $"Expected a refusal.{Environment.NewLine}{run}");
        Assert.False(string.IsNullOrWhiteSpace(run.Stderr), $"Refused without a word.{Environment.NewLine}{run}");
        Assert.DoesNotMatch(@"(?m)^\s+at \S+", run.Stderr);
        Assert.DoesNotContain("unexpected failure", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", run.Stderr, StringComparison.Ordinal);
    }
}
