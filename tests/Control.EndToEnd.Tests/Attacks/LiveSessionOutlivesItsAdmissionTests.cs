namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician whose way in is taken away while their session is open: the password they were given is
/// rotated, unattended access is turned off, exclusive mode is turned on (only the password admits), two-factor is turned
/// on, or the login they run as is no longer permitted. Threat: the live session survives, so the change protects nothing
/// until the session ends by itself. Defence: every new policy re-checks why each live session was admitted, and one whose
/// reason no longer holds ends at once (within one policy fan-out).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LiveSessionOutlivesItsAdmissionTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private readonly ClientUnderAttack _client = new(api);

    [Fact]
    public async Task LiveSession_WhenTheReasonItWasAdmittedNoLongerHolds_Ends()
    {
        var (alice, password) = await _client.StartAsync();

        var rotatedPassword = await EndsWhen(alice, [password], "the unattended password this session used was changed",
            "unattended", "rotate-password", "desk", "--reason", "password leaked", "--json");
        password = System.Text.Json.JsonSerializer.Deserialize<Control.Domain.Contracts.ClientChangeResponse>(rotatedPassword.Stdout, ClientUnderAttack.Json)!
            .RevealedPassword!;

        await EndsWhen(alice, [password], $"the login {TestAccount.Name} is no longer permitted on this client",
            "permissions", "logins", "desk", "--login", "ctl-other-login", "--reason", "sessions as another account");
        await _client.ChangeAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--reason", "back");

        // A remember-token's session: exclusive mode lets only the password in.
        (await alice.RunWithInputAsync([password], "exec", "-q", "--remember", "desk", "--", "true")).ShouldExit(0, () => _client.Logs);
        await EndsWhen(alice, [], "exclusive unattended access was turned on", "unattended", "exclusive", "desk", "--on", "--reason", "lock down");
        await _client.ChangeAsync("unattended", "exclusive", "desk", "--off", "--reason", "back");

        await EndsWhen(alice, [], "unattended access was turned off", "unattended", "disable", "desk", "--reason", "no more remote access");
        await _client.ChangeAsync("unattended", "enable", "desk", "--reason", "back");

        // Admitted without a code (the remember-token): two-factor turned on ends it.
        await EndsWhen(alice, [], "two-factor authentication was turned on", "client-2fa-on");
    }

    /// <summary>Opens a long session, makes the change, and expects the session to end with <paramref name="reason"/>.</summary>
    private async Task<ProcessRun> EndsWhen(ControlCli alice, string[] input, string reason, params string[] change)
    {
        var started = _client.Agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal));
        var session = alice.RunWithInputAsync(input, "exec", "-q", "desk", "--", "sleep", "60");
        await Eventually.Until(() => _client.Agent.Output.Count(l => l.Contains("exec sleep (", StringComparison.Ordinal)) > started,
            $"a session to start before '{reason}'", ClientUnderAttack.Bounded, () => _client.Logs);
        var result = change is ["client-2fa-on"] ? await TurnTwoFactorOnAsync(alice) : await _client.ChangeAsync(change);
        var ended = (await session.WaitAsync(ClientUnderAttack.Bounded)).ShouldExit(1, () => _client.Logs);
        Assert.Contains(reason, ended.Stderr, StringComparison.Ordinal);
        return result;
    }

    private async Task<ProcessRun> TurnTwoFactorOnAsync(ControlCli alice)
    {
        var enrolment = System.Text.Json.JsonSerializer.Deserialize<Control.Domain.Contracts.ClientTwoFactorEnrollmentResponse>(
            (await alice.RunAsync("client-2fa", "enroll", "desk", "--reason", "2fa", "--json")).ShouldExit(0).Stdout, ClientUnderAttack.Json)!;
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(enrolment.Secret));
        return await _client.ChangeAsync("client-2fa", "confirm", "desk", totp.ComputeTotp(DateTime.UtcNow), "--reason", "2fa");
    }

    public void Dispose() => _client.Dispose();
}
