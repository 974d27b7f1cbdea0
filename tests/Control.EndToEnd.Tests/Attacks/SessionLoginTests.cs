namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician admitted to a client who asks to run as an account the client's policy does not permit (root,
/// to own the machine and the agent; or any other). Defence: the signed policy lists the logins; anything else is
/// refused before it runs, with the reason in the session audit; root only where the policy names it, which needs an
/// explicit confirmation, and the session then says "as root".
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SessionLoginTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private readonly ClientUnderAttack _client = new(api);

    [Fact]
    public async Task Session_AsALoginThePolicyDoesNotPermit_IsDeniedWithTheReasonAudited()
    {
        var (alice, password) = await _client.StartAsync();

        var asRoot = (await alice.RunWithInputAsync([password], "exec", "-q", "--login", "root", "desk", "--", "id", "-u")).ShouldExit(1);
        Assert.Contains("the login root is not permitted on this client", asRoot.Stderr, StringComparison.Ordinal);
        await Eventually.Until(async () => (await _client.SessionsAsync()).Any(s => s.DeniedReason == "the login root is not permitted on this client"),
            "the refusal in the session audit", ClientUnderAttack.Bounded, () => _client.Logs);

        // Permitted, but no such account on the machine.
        await _client.ChangeAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--login", "ctl-no-such-account", "--reason", "typo");
        var absent = (await alice.RunWithInputAsync([password], "exec", "-q", "--login", "ctl-no-such-account", "desk", "--", "true")).ShouldExit(1);
        Assert.Contains("the login ctl-no-such-account does not exist on this machine", absent.Stderr, StringComparison.Ordinal);

        // Root only where named, and naming it needs an explicit confirmation; the mode line then says "as root".
        var unconfirmed = (await alice.RunAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--login", "root", "--reason", "maintenance")).ShouldExit(1);
        Assert.Contains("--allow-root", unconfirmed.Stderr, StringComparison.Ordinal);
        await _client.ChangeAsync("permissions", "logins", "desk", "--login", TestAccount.Name, "--login", "root", "--allow-root", "--reason", "maintenance");
        var connect = (await alice.RunWithInputAsync([password], "connect", "--connmode", "--login", "root", "desk")).ShouldExit(0, () => _client.Logs);
        Assert.Contains("as root: this session can read and change everything on the client", connect.Stdout, StringComparison.Ordinal);
        var root = (await alice.RunWithInputAsync([password], "exec", "-q", "--login", "root", "desk", "--", "id", "-u")).ShouldExit(0, () => _client.Logs);
        Assert.Equal("0", root.Stdout.Trim());
        await Eventually.Until(async () => (await _client.SessionsAsync()).Any(s => s.Login == "root"),
            "the root session in the audit", ClientUnderAttack.Bounded, () => _client.Logs);
    }

    public void Dispose() => _client.Dispose();
}
