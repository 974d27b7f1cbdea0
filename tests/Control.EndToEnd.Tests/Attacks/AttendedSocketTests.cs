namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician with a session on a client (as its login), or any local user of that machine. Threat: the
/// agent's local control socket lists and answers attended-mode requests, so whoever can talk to it can accept a
/// session in place of the person at the machine (their own second session, or a colleague's). Defence: the agent asks
/// the kernel who is calling (SO_PEERCRED) and answers only root, its own account and the accounts named with
/// <c>control-agent run --attended-by</c>. The attacker here speaks to the socket with perl (perl-base is on every
/// Debian machine) from inside a real session.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AttendedSocketTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const string AskPending =
        "use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die \"connect: $!\\n\"; "
        + "print $s qq({\"command\":\"pending\"}\\n); print scalar <$s>;";

    private readonly ClientUnderAttack _client = new(api);

    [Fact]
    public async Task ControlSocket_FromASessionsLogin_RefusesUnlessThatAccountIsTrusted()
    {
        var (alice, password) = await _client.StartAsync();
        var socket = _client.Agent.StateDirectory + ".sock";

        var fromSession = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "perl", "-e", AskPending, socket)).ShouldExit(0, () => _client.Logs);
        Assert.Contains("\"ok\":false", fromSession.Stdout, StringComparison.Ordinal);
        Assert.Contains("may not answer session requests", fromSession.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pending\":[", fromSession.Stdout, StringComparison.Ordinal);
        Assert.Contains(_client.Agent.Output, l => l.Contains("refused a request on the control socket from uid", StringComparison.Ordinal));

        // Root at the machine may always answer, with the stock command.
        (await AgentDaemon.RunAsync("pending", "--state-dir", _client.Agent.StateDirectory)).ShouldExit(0, () => _client.Logs);

        // The person at the machine is trusted by name.
        _client.Agent.Dispose();
        _client.Agent.Start("--listen", "127.0.0.1:0", "--attended-by", TestAccount.Name);
        await Eventually.Until(() => _client.Agent.Output.Count(l => l.Contains("registered", StringComparison.Ordinal)) >= 2,
            "the agent to come back", ClientUnderAttack.Bounded, () => _client.Logs);
        var trusted = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "perl", "-e", AskPending, socket)).ShouldExit(0, () => _client.Logs);
        Assert.Contains("\"ok\":true", trusted.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _client.Dispose();
}
