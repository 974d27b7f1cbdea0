using System.Text.Json;
using System.Text.RegularExpressions;
using OtpNet;

namespace Control.EndToEnd.Tests;

/// <summary>
/// The README quickstart as an operator runs it: the API and every <c>control</c> command are separate processes,
/// talking over HTTP on loopback to a fresh PostgreSQL database, with passwords and codes typed on standard input.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class QuickstartTests(ApiProcess api) : IClassFixture<ApiProcess>
{
    private const string AlicePassword = "Violet-Copper-Lantern-58";
    private const string BobPassword = "Quiet-Harbor-Meadow-91";
    private const string DisableReason = "left the company";

    private string Server => api.Server.ToString().TrimEnd('/');

    [Fact]
    public async Task Quickstart_SetupLoginTwoFactorInviteActivateDisableAudit_WorksAsRealProcesses()
    {
        var alice = new ControlCli(Path.Combine(api.Root, "alice", "config", "control"));
        var bob = new ControlCli(Path.Combine(api.Root, "bob", "config", "control"));
        var runs = new List<ProcessRun>();
        async Task<ProcessRun> Step(ControlCli who, int exitCode, string[] input, params string[] arguments)
        {
            var run = await who.RunWithInputAsync(input, arguments);
            runs.Add(run);
            return run.ShouldExit(exitCode, () => api.Log);
        }

        // The first organization, with the token the API wrote into its data folder.
        var setup = await Step(alice, 0, [AlicePassword, AlicePassword],
            "setup", "--server", Server, "--token-file", api.BootstrapTokenFile, "--org", "acme", "--name", "Acme Corp", "--user", "alice");
        Assert.Contains($"control login --server {Server} --org acme --user alice", setup.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"License key .*shown only now", setup.Stdout);

        var wrong = await Step(alice, 1, ["Not-The-Password-123"], "login", "--server", Server, "--org", "acme", "--user", "alice");
        Assert.Contains("error: Sign-in failed:", wrong.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(alice.CredentialsFile));

        var login = await Step(alice, 0, [AlicePassword], "login", "--server", Server, "--org", "acme", "--user", "alice");
        Assert.Contains("Signed in as alice@acme (owner)", login.Stdout, StringComparison.Ordinal);
        Assert.Contains("control 2fa enroll", login.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(alice.CredentialsFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(alice.ConfigDirectory));
        Assert.DoesNotContain(AlicePassword, await File.ReadAllTextAsync(alice.CredentialsFile), StringComparison.Ordinal);

        // Two-factor: the human output shows a QR code; the JSON output gives the secret to compute codes from.
        var enrollText = await Step(alice, 0, [], "2fa", "enroll");
        Assert.Contains("otpauth://totp/", enrollText.Stdout, StringComparison.Ordinal);
        Assert.Contains("█", enrollText.Stdout, StringComparison.Ordinal);
        Assert.Contains("control 2fa confirm CODE", enrollText.Stdout, StringComparison.Ordinal);
        var enrollJson = await Step(alice, 0, [], "2fa", "enroll", "--json");
        var totp = new Totp(Base32Encoding.ToBytes(JsonDocument.Parse(enrollJson.Stdout).RootElement.GetProperty("secret").GetString()));

        var (confirmCode, confirmStep) = CurrentCode(totp);
        var confirm = await Step(alice, 0, [], "2fa", "confirm", confirmCode);
        Assert.Equal(10, RecoveryCodeLine().Count(confirm.Stdout));
        Assert.Contains("shown only now", confirm.Stdout, StringComparison.Ordinal);

        await Step(alice, 0, [], "logout");
        Assert.False(File.Exists(alice.CredentialsFile));

        // A code is accepted once per 30-second step: the one used to confirm would be refused as a replay.
        await WaitForStepAfter(confirmStep);
        var (loginCode, _) = CurrentCode(totp);
        var secondFactorLogin = await Step(alice, 0, [AlicePassword, loginCode], "login", "--server", Server, "--org", "acme", "--user", "alice");
        Assert.Contains("Authentication code (or recovery code): ", secondFactorLogin.Stderr, StringComparison.Ordinal);
        Assert.Contains("Signed in as alice@acme (owner)", secondFactorLogin.Stdout, StringComparison.Ordinal);
        var whoami = JsonDocument.Parse((await Step(alice, 0, [], "whoami", "--json")).Stdout).RootElement;
        Assert.True(whoami.GetProperty("twoFactorEnabled").GetBoolean());

        // Invite a technician; the code is shown once, with the exact command the invitee runs.
        var invite = await Step(alice, 0, [], "operators", "invite", "bob", "--role", "technician", "--reason", "new technician");
        Assert.Contains("it is shown only now", invite.Stdout, StringComparison.Ordinal);
        var activation = Regex.Match(invite.Stdout, $@"control activate --server {Regex.Escape(Server)} --org acme --user bob --code (\S+)");
        Assert.True(activation.Success, $"No activate command in:{Environment.NewLine}{invite}");

        await Step(bob, 0, [BobPassword, BobPassword],
            "activate", "--server", Server, "--org", "acme", "--user", "bob", "--code", activation.Groups[1].Value);
        var bobLogin = await Step(bob, 0, [BobPassword], "login", "--server", Server, "--org", "acme", "--user", "bob");
        Assert.Contains("Signed in as bob@acme (technician)", bobLogin.Stdout, StringComparison.Ordinal);
        await Step(bob, 0, [], "whoami");
        var forbidden = await Step(bob, 1, [], "operators", "list");
        Assert.Contains("error: Not allowed", forbidden.Stderr, StringComparison.Ordinal);

        // Disabling bob ends his session at once, not when his access token runs out.
        var disable = await Step(alice, 0, [], "operators", "disable", "bob", "--reason", DisableReason);
        Assert.Contains("Disabled bob@acme", disable.Stdout, StringComparison.Ordinal);
        var revoked = await Step(bob, 1, [], "whoami");
        Assert.StartsWith("not signed in:", revoked.Stderr, StringComparison.Ordinal);
        Assert.Contains("control login --server", revoked.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(bob.CredentialsFile));

        var operators = JsonDocument.Parse((await Step(alice, 0, [], "operators", "list", "--json")).Stdout).RootElement;
        Assert.Equal("disabled", operators.EnumerateArray().Single(o => o.GetProperty("username").GetString() == "bob").GetProperty("status").GetString());

        // The audit trail says who did it and why; --all with small pages follows the cursor.
        var audit = JsonDocument.Parse((await Step(alice, 0, [], "audit", "events", "--json", "--all", "--limit", "3")).Stdout).RootElement;
        var disabled = audit.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "OperatorDisabled").ToList();
        var entry = Assert.Single(disabled);
        Assert.Equal("alice@acme", entry.GetProperty("actor").GetString());
        Assert.Equal(DisableReason, entry.GetProperty("reason").GetString());
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("type").GetString() == "OperatorInvited");
        Assert.True(audit.GetArrayLength() > 3, "--all should have followed nextCursor past the first page of 3");
        var filtered = JsonDocument.Parse(
            (await Step(alice, 0, [], "audit", "events", "--type", "OperatorDisabled", "--actor", "alice@acme", "--since", "1h", "--json")).Stdout).RootElement;
        Assert.Equal(1, filtered.GetArrayLength());
        var table = await Step(alice, 0, [], "audit", "events", "--type", "OperatorDisabled");
        Assert.Matches(@"OperatorDisabled\s+alice@acme\s+operator bob@acme\s+left the company", table.Stdout);

        // Commands run at once with an expired access token: one redeems the refresh token, the others use its result.
        // (Redeeming the same refresh token twice would make the server revoke the session as stolen.)
        var stored = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(alice.CredentialsFile))!;
        stored["accessTokenExpiresAt"] = "2000-01-01T00:00:00+00:00";
        await File.WriteAllTextAsync(alice.CredentialsFile, stored.ToJsonString());
        var parallel = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => alice.RunAsync("whoami")));
        foreach (var run in parallel)
        {
            run.ShouldExit(0, () => api.Log);
        }

        await Step(alice, 0, [], "whoami");

        // Passwords never show up in anything the CLI printed.
        foreach (var run in runs)
        {
            Assert.DoesNotContain(AlicePassword, run.Stdout + run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(BobPassword, run.Stdout + run.Stderr, StringComparison.Ordinal);
        }
    }

    private static (string Code, long Step) CurrentCode(Totp totp)
    {
        var now = DateTime.UtcNow;
        return (totp.ComputeTotp(now), StepOf(now));
    }

    private static long StepOf(DateTime time) => new DateTimeOffset(time).ToUnixTimeSeconds() / 30;

    private static async Task WaitForStepAfter(long step)
    {
        while (StepOf(DateTime.UtcNow) <= step)
        {
            var nextStepStarts = DateTimeOffset.FromUnixTimeSeconds((step + 1) * 30);
            var wait = nextStepStarts - DateTimeOffset.UtcNow;
            await Task.Delay(wait > TimeSpan.Zero ? wait + TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(100));
        }
    }

    [GeneratedRegex(@"^    [A-Z0-9]{4}(-[A-Z0-9]{4}){3}$", RegexOptions.Multiline)]
    private static partial Regex RecoveryCodeLine();
}
