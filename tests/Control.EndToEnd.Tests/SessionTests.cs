using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Control.Domain.Contracts;
using OtpNet;

namespace Control.EndToEnd.Tests;

/// <summary>
/// Sessions as a technician meets them, all real processes: the API, <c>control-agent run --listen</c>, and
/// <c>control connect/exec</c> over mutual TLS. Covers the connection mode, the unattended password (SCRAM), wrong
/// passwords, remember-tokens and "clear all tokens", client TOTP with replay refused, and live revocation: a session
/// ends within about a second when the viewer's certificate is revoked or the viewer is taken off the ACL.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SessionTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const string AlicePassword = "Quartz-Harbor-Willow-38";
    private const string BobPassword = "Saffron-Glacier-Beacon-52";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AgentDaemon _agent = new(Path.Combine(api.Root, "agent-state"));

    private string Server => api.Server.ToString().TrimEnd('/');

    private string AgentLog => $"{_agent.Log}{Environment.NewLine}{api.Log}";

    [Fact]
    public async Task Sessions_ConnectExecRememberTotpAndLiveRevocation_WorkBetweenRealProcesses()
    {
        var alice = new ControlCli(Path.Combine(api.Root, "alice"));
        var bob = new ControlCli(Path.Combine(api.Root, "bob"));
        var setup = (await alice.RunWithInputAsync([AlicePassword, AlicePassword],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme", "--user", "alice", "--json")).ShouldExit(0, () => api.Log);
        var licenseKey = JsonSerializer.Deserialize<SetupResponse>(setup.Stdout, Json)!.LicenseKey;
        (await alice.RunWithInputAsync([AlicePassword], "login", "--server", Server, "--org", "acme", "--user", "alice")).ShouldExit(0, () => api.Log);
        var invite = (await alice.RunAsync("operators", "invite", "bob", "--role", "technician", "--reason", "support")).ShouldExit(0);
        var code = Regex.Match(invite.Stdout, @"--code (\S+)").Groups[1].Value;
        (await bob.RunWithInputAsync([BobPassword, BobPassword], "activate", "--server", Server, "--org", "acme", "--user", "bob", "--code", code)).ShouldExit(0);
        (await bob.RunWithInputAsync([BobPassword], "login", "--server", Server, "--org", "acme", "--user", "bob")).ShouldExit(0);

        // The machine: enrolled with the license key, accepting sessions on a free loopback port.
        var state = _agent.StateDirectory;
        var tokenFile = Path.Combine(api.Root, "license-key");
        await File.WriteAllTextAsync(tokenFile, licenseKey);
        (await _agent.EnrollAsync(Server, tokenFile, "desk")).ShouldExit(0, () => api.Log);
        _agent.Start("--listen", "127.0.0.1:0");
        await WaitFor(() => _agent.Printed("registered"), "the agent to register its session endpoint");

        var rotated = (await alice.RunAsync("unattended", "rotate-password", "desk", "--reason", "set up", "--json")).ShouldExit(0);
        var password = JsonSerializer.Deserialize<ClientChangeResponse>(rotated.Stdout, Json)!.RevealedPassword!;
        (await alice.RunAsync("unattended", "enable", "desk", "--reason", "set up")).ShouldExit(0);
        (await alice.RunAsync("acl", "add", "desk", "*@acme", "--reason", "staff only")).ShouldExit(0);
        (await alice.RunAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--reason", "sessions run as the test account")).ShouldExit(0);
        var version = Parse<ClientChangeResponse>((await alice.RunAsync("acl", "enable", "desk", "--reason", "lock down", "--json")).ShouldExit(0)).Version;
        await WaitFor(() => _agent.Printed("acl on"), $"the agent to apply policy v{version}");

        // Connect: mutual TLS 1.3 with an AEAD suite; the agent's key is the one the API recorded at enrolment.
        var fingerprint = JsonDocument.Parse((await alice.RunAsync("clients", "show", "desk", "--json")).ShouldExit(0).Stdout)
            .RootElement.GetProperty("keyFingerprint").GetString()!;
        var connect = (await alice.RunWithInputAsync([password], "connect", "desk", "--connmode")).ShouldExit(0, () => AgentLog);
        Assert.Matches(@"connection mode: TLS 1\.3, TLS_(AES_256_GCM_SHA384|AES_128_GCM_SHA256|CHACHA20_POLY1305_SHA256) \(AEAD\), mutual authentication", connect.Stdout);
        Assert.Contains($"login   as {TestAccount.Name}", connect.Stdout, StringComparison.Ordinal);
        Assert.Contains($"key fingerprint {fingerprint} matches the directory (pinned)", connect.Stdout, StringComparison.Ordinal);
        Assert.Contains("alice@acme: certificate verified by the agent", connect.Stdout, StringComparison.Ordinal);
        Assert.Contains("access control list + unattended password (SCRAM-SHA-256)", connect.Stdout, StringComparison.Ordinal);

        // A wrong password is "denied" to the viewer; the agent knows why.
        var wrong = (await alice.RunWithInputAsync(["not-the-password"], "exec", "desk", "--", "true")).ShouldExit(1);
        Assert.Contains("denied by client", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong unattended password", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains(_agent.Output, l => l.Contains("alice@acme from 127.0.0.1 denied: wrong unattended password", StringComparison.Ordinal));

        // exec: standard output and error apart, the program's exit code as ours.
        var exec = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "sh", "-c", "echo out; echo err >&2; exit 7")).ShouldExit(7, () => AgentLog);
        Assert.Equal("out", exec.Stdout.Trim());
        Assert.Contains("err", exec.Stderr, StringComparison.Ordinal);

        // Remember-token: after one password login, no password; "clear all tokens" kills it.
        (await alice.RunWithInputAsync([password], "exec", "-q", "--remember", "desk", "--", "true")).ShouldExit(0, () => AgentLog);
        var remembered = (await alice.RunAsync("exec", "desk", "--", "true")).ShouldExit(0, () => AgentLog);
        Assert.DoesNotContain("Unattended password", remembered.Stderr, StringComparison.Ordinal);
        Assert.Contains("remember-token", remembered.Stderr, StringComparison.Ordinal);
        // The API goes down: a session still opens (the directory entry seen minutes ago is used without asking the API,
        // the agent enforces its cached policy), and its audit events, queued on the agent's disk, arrive exactly once
        // when the API is back. (A stale entry with the API down: AgentDirectoryTests.)
        await api.KillAsync();
        var offline = (await alice.RunAsync("exec", "desk", "--", "echo", "offline")).ShouldExit(0, () => AgentLog);
        Assert.Equal("offline", offline.Stdout.Trim());
        var offlineSession = SessionId().Match(offline.Stderr).Groups[1].Value;
        await api.StartAsync();
        await WaitForSession(alice, offlineSession, s => s.ClosedAt is not null);

        // A shell on a real pseudo-terminal (keystrokes from standard input here), recorded on the agent.
        var shell = (await alice.RunWithInputAsync(["echo shell-$((6*7)); tty", "exit 3"], "shell", "-q", "desk")).ShouldExit(3, () => AgentLog);
        Assert.Contains("shell-42", shell.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"/dev/pts/\d+", shell.Stdout);

        // cp both ways, verified by SHA-256; a missing folder is a clear error and writes nothing.
        var original = Path.Combine(api.Root, "payload.bin");
        await File.WriteAllBytesAsync(original, System.Security.Cryptography.RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17));
        // Sessions run as the client's login: its home is where it may write.
        var remote = Path.Combine(TestAccount.Home, "remote-copy.bin");
        var up = (await alice.RunAsync("cp", "-q", original, "desk:~/remote-copy.bin")).ShouldExit(0, () => AgentLog);
        Assert.Contains("SHA-256", up.Stdout, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(original), await File.ReadAllBytesAsync(remote));
        var back = Path.Combine(api.Root, "back.bin");
        (await alice.RunAsync("cp", "-q", $"desk:{remote}", back)).ShouldExit(0, () => AgentLog);
        Assert.Equal(await File.ReadAllBytesAsync(original), await File.ReadAllBytesAsync(back));
        var missing = (await alice.RunAsync("cp", "-q", original, "desk:/no/such/folder/x.bin")).ShouldExit(1);
        Assert.Contains("the folder /no/such/folder does not exist on the client", missing.Stderr, StringComparison.Ordinal);
        var noFile = (await alice.RunAsync("cp", "-q", "desk:/no/such/file", back)).ShouldExit(1);
        Assert.Contains("no file /no/such/file on the client", noFile.Stderr, StringComparison.Ordinal);

        // Channels the policy does not permit are refused.
        var before = PolicyLines();
        (await alice.RunAsync("permissions", "set", "desk", "--exec", "on", "--shell", "on", "--file-transfer", "off", "--reason", "no copies")).ShouldExit(0);
        await WaitFor(() => PolicyLines() > before, "the agent to apply the permissions");
        var forbidden = (await alice.RunAsync("cp", "-q", original, $"desk:{remote}")).ShouldExit(1);
        Assert.Contains("file transfer is not permitted on this client", forbidden.Stderr, StringComparison.Ordinal);

        var applied = PolicyLines();
        (await alice.RunAsync("tokens", "clear", "desk", "--reason", "laptop lost")).ShouldExit(0);
        await WaitFor(() => PolicyLines() > applied, "the agent to apply the cleared tokens");
        var cleared = (await alice.RunWithInputAsync([""], "exec", "desk", "--", "true")).ShouldExit(1);
        Assert.Contains("Unattended password", cleared.Stderr, StringComparison.Ordinal);

        // Bob's certificate is revoked when he is disabled: his running session ends within about a second.
        var bobSession = bob.RunWithInputAsync([password], "exec", "-q", "desk", "--", "sleep", "25");
        await WaitFor(() => _agent.Printed("exec sleep ("), "bob's session to start");
        var disabledAt = Stopwatch.StartNew();
        (await alice.RunAsync("operators", "disable", "bob", "--reason", "left the company")).ShouldExit(0);
        var bobEnded = await bobSession;
        disabledAt.Stop();
        bobEnded.ShouldExit(1);
        Assert.Contains("ended the session", bobEnded.Stderr, StringComparison.Ordinal);
        Assert.Contains("revoked", bobEnded.Stderr, StringComparison.Ordinal);
        Assert.True(disabledAt.Elapsed < TimeSpan.FromSeconds(10), $"bob's session lasted {disabledAt.Elapsed} after the disable command started");

        // An operator ends a live session from the API; the agent learns it from its next policy.
        var sleeps = _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal));
        var doomed = alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "sleep", "25");
        await WaitFor(() => _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal)) > sleeps, "alice's session to start");
        var liveId = SessionId().Match(_agent.Output.Last(l => l.Contains("exec sleep (", StringComparison.Ordinal))).Groups[1].Value;
        var live = Assert.Single(await Sessions(alice), x => x.SessionId.ToString() == liveId && x.Live);
        (await alice.RunAsync("sessions", "kill", liveId, "--reason", "maintenance window")).ShouldExit(0, () => api.Log);
        var killed = (await doomed).ShouldExit(1);
        Assert.Contains("ended by an operator", killed.Stderr, StringComparison.Ordinal);
        await WaitForSession(alice, live.SessionId.ToString(), x => x.ClosedAt is not null && x.EndedBy == "operator");

        // The agent is killed mid-session (SIGKILL, no goodbye): at its restart it reports the session it left open as
        // ended by the agent, instead of that session reading "live" forever.
        sleeps = _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal));
        var orphaned = alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "sleep", "25");
        await WaitFor(() => _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal)) > sleeps, "alice's session to start");
        var orphanId = SessionId().Match(_agent.Output.Last(l => l.Contains("exec sleep (", StringComparison.Ordinal))).Groups[1].Value;
        await WaitForSession(alice, orphanId, x => x.Live);
        var registrations = _agent.Output.Count(l => l.Contains("registered", StringComparison.Ordinal));
        _agent.Dispose();
        Assert.NotEqual(0, (await orphaned).ExitCode);
        _agent.Start("--listen", "127.0.0.1:0");
        await WaitFor(() => _agent.Output.Count(l => l.Contains("registered", StringComparison.Ordinal)) > registrations, "the restarted agent to register");
        await WaitForSession(alice, orphanId, x => x is { Live: false, EndedBy: "agent" } && x.ClosedAt is not null);
        Assert.Contains(_agent.Output, l => l.Contains($"session {orphanId}", StringComparison.Ordinal) && l.Contains("still open", StringComparison.Ordinal));

        // The organization requires a justification: without one the viewer is told so; with one it is stored.
        var settled = PolicyLines();
        (await alice.RunAsync("org", "session-settings", "--require-justification", "on", "--reason", "audit asks for it")).ShouldExit(0, () => api.Log);
        await WaitFor(() => PolicyLines() > settled, "the agent to apply the session settings");
        var unjustified = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "true")).ShouldExit(1);
        Assert.Contains("justification", unjustified.Stderr, StringComparison.Ordinal);
        (await alice.RunWithInputAsync([password], "exec", "-q", "--reason", "ticket 42", "desk", "--", "true")).ShouldExit(0, () => AgentLog);
        Assert.Contains(await Sessions(alice), x => x.Justification == "ticket 42");
        settled = PolicyLines();
        (await alice.RunAsync("org", "session-settings", "--require-justification", "off", "--reason", "done")).ShouldExit(0);
        await WaitFor(() => PolicyLines() > settled, "the agent to apply the session settings");

        // Client TOTP: a code is needed after the password, and the same code is refused the second time.
        var enrolment = Parse<ClientTwoFactorEnrollmentResponse>((await alice.RunAsync("client-2fa", "enroll", "desk", "--reason", "2fa", "--json")).ShouldExit(0));
        var totp = new Totp(Base32Encoding.ToBytes(enrolment.Secret));
        (await alice.RunAsync("client-2fa", "confirm", "desk", totp.ComputeTotp(DateTime.UtcNow), "--reason", "2fa")).ShouldExit(0, () => api.Log);
        await WaitFor(() => _agent.Printed("2fa on"), "the agent to apply 2FA");
        var sessionCode = totp.ComputeTotp(DateTime.UtcNow);
        var withTotp = (await alice.RunWithInputAsync([password, sessionCode], "exec", "desk", "--", "true")).ShouldExit(0, () => AgentLog);
        Assert.Contains("unattended password (SCRAM-SHA-256) + TOTP", withTotp.Stderr, StringComparison.Ordinal);
        var replay = (await alice.RunWithInputAsync([password, sessionCode], "exec", "desk", "--", "true")).ShouldExit(1);
        Assert.Contains("denied", replay.Stderr, StringComparison.Ordinal);
        Assert.Contains(_agent.Output, l => l.Contains("already used TOTP code", StringComparison.Ordinal));

        // Taken off the ACL mid-session: cut off live.
        sleeps = _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal));
        var aliceSession = alice.RunWithInputAsync([password, await NextCode(totp, sessionCode)], "exec", "-q", "desk", "--", "sleep", "25");
        await WaitFor(() => _agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal)) > sleeps, "alice's last session to start");
        (await alice.RunAsync("acl", "remove", "desk", "*@acme", "--reason", "cut everyone off")).ShouldExit(0);
        var aliceEnded = (await aliceSession).ShouldExit(1);
        Assert.Contains("is not on the access control list", aliceEnded.Stderr, StringComparison.Ordinal);

        // The audit trail: every session, denials with their reasons, who ended what, files with their hashes, the recording.
        var sessions = await Sessions(alice);
        Assert.Single(sessions, x => x.SessionId.ToString() == offlineSession);
        Assert.Contains(sessions, x => x.DeniedReason == "wrong unattended password" && x.ViewerAlias == "alice@acme");
        Assert.Contains(sessions, x => x.DeniedReason?.Contains("already used TOTP code", StringComparison.Ordinal) == true);
        var bobs = Assert.Single(sessions, x => x.ViewerAlias == "bob@acme" && x.Channels.Count > 0);
        Assert.Equal("policy", bobs.EndedBy);
        Assert.Contains("revoked", bobs.EndReason, StringComparison.Ordinal);
        var copied = sessions.SelectMany(x => x.Files).Where(f => f.Direction == "upload").ToList();
        var originalHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(original)));
        Assert.Contains(copied, f => f.Path == remote && f.Size == 3 * 1024 * 1024 + 17 && f.Sha256 == originalHash);
        var shellSession = Assert.Single(sessions, x => x.Channels.Contains("shell"));
        await WaitForSession(alice, shellSession.SessionId.ToString(), x => x.HasRecording);
        var played = (await alice.RunAsync("sessions", "replay", shellSession.SessionId.ToString(), "--speed", "0")).ShouldExit(0, () => api.Log);
        Assert.Contains("shell-42", played.Stdout, StringComparison.Ordinal);
        var cast = (await alice.RunAsync("sessions", "replay", shellSession.SessionId.ToString(), "--raw")).ShouldExit(0).Stdout.Split('\n');
        Assert.Equal(2, JsonDocument.Parse(cast[0]).RootElement.GetProperty("version").GetInt32());
        Assert.Contains(cast.Skip(1), line => line.Contains("shell-42", StringComparison.Ordinal));
        await WaitFor(() => !Directory.EnumerateFiles(Path.Combine(state, "recordings")).Any(), "the agent to delete the uploaded recording");

        foreach (var secret in new[] { password, AlicePassword, BobPassword })
        {
            Assert.DoesNotContain(secret, string.Join('\n', _agent.Output), StringComparison.Ordinal);
        }
    }

    /// <summary>The next TOTP code that differs from <paramref name="used"/> (waits for the next 30-second step if needed).</summary>
    private static async Task<string> NextCode(Totp totp, string used)
    {
        while (true)
        {
            var code = totp.ComputeTotp(DateTime.UtcNow);
            if (code != used)
            {
                return code;
            }

            await Task.Delay(500);
        }
    }

    private static T Parse<T>(ProcessRun run) => JsonSerializer.Deserialize<T>(run.Stdout, Json)!;

    private static async Task<List<SessionSummaryView>> Sessions(ControlCli cli) =>
        Parse<List<SessionSummaryView>>((await cli.RunAsync("sessions", "list", "--client", "desk", "--limit", "200", "--json")).ShouldExit(0));

    private Task WaitForSession(ControlCli cli, string sessionId, Func<SessionSummaryView, bool> condition) =>
        Eventually.Until(async () => (await Sessions(cli)).Any(x => x.SessionId.ToString() == sessionId && condition(x)),
            $"session {sessionId} in the audit trail", Bounded, () => AgentLog, TimeSpan.FromMilliseconds(250));

    [GeneratedRegex(@"session ([0-9a-f-]{36})")]
    private static partial Regex SessionId();

    private int PolicyLines() => _agent.Output.Count(l => l.StartsWith("policy v", StringComparison.Ordinal));

    private Task WaitFor(Func<bool> condition, string what) => Eventually.Until(condition, what, Bounded, () => AgentLog, TimeSpan.FromMilliseconds(100));

    public void Dispose() => _agent.Dispose();
}
