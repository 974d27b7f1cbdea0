using System.Text.RegularExpressions;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: a technician (any viewer the client admits, or one waiting for acceptance). Threat: text they choose (the
/// justification, the command) carries terminal escape sequences and line breaks, so that whoever reads it (the person
/// at the machine running <c>control-agent pending</c>, an auditor running <c>control sessions show</c>, an admin reading
/// the agent's log) gets a cleared screen, a rewritten title, or a forged line such as another viewer's admission. Every
/// such text is shown and logged inert.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class TerminalEscapeInjectionTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    private const string Forged = "session 00000000-0000-0000-0000-000000000000: mallory@acme from 10.6.6.6 authenticated by certificate";
    private AttackStage? _stage;

    [Fact]
    public async Task JustificationAndCommand_WithEscapesAndAForgedLine_AreShownAndLoggedInert()
    {
        _stage = await AttackStage.SetUpAsync(api);
        var agent = _stage.Agent;

        // A program whose path holds a line break and a whole fake log line: the agent logs the command it runs.
        var folder = Path.Combine(api.Root, "tools");
        Directory.CreateDirectory(folder);
        var program = Path.Combine(folder, "report\n" + Forged);
        await File.WriteAllTextAsync(program, "#!/bin/sh\nexit 0\n");
        // The session runs as its login, not as root: the program must be readable and executable by others.
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var justification = "\u001b[2J\u001b]0;owned\u0007ticket 7\n" + Forged;

        // Unattended access is off: the session waits for someone at the machine, who lists it with control-agent pending.
        var exec = _stage.Alice.RunAsync("exec", "--reason", justification, "desk", "--", program);
        await _stage.WaitFor(() => agent.Printed("waits for acceptance"), "the session to wait for acceptance");
        var waiting = agent.Output.Last(l => l.Contains("waits for acceptance", StringComparison.Ordinal));
        var request = Request().Match(waiting).Groups[1].Value;
        var session = Session().Match(waiting).Groups[1].Value;

        var pending = (await AgentDaemon.RunAsync("pending", "--state-dir", agent.StateDirectory)).ShouldExit(0, () => _stage.Logs);
        AssertInert(pending.Stdout);
        Assert.Contains(@"\e[2J\e]0;owned\x07ticket 7\n" + Forged, pending.Stdout, StringComparison.Ordinal);
        (await AgentDaemon.RunAsync("accept", request, "--state-dir", agent.StateDirectory)).ShouldExit(0, () => _stage.Logs);
        (await exec).ShouldExit(0, () => _stage.Logs);

        Assert.DoesNotContain(agent.Output, line => line.StartsWith(Forged, StringComparison.Ordinal));
        Assert.Contains(agent.Output, line => line.Contains(@"report\n" + Forged, StringComparison.Ordinal));
        Assert.All(agent.Output, line => Assert.DoesNotContain('\u001b', line));

        await _stage.WaitFor(async () => (await _stage.Alice.RunAsync("sessions", "show", session)).ExitCode == 0, "the session in the audit trail");
        var shown = (await _stage.Alice.RunAsync("sessions", "show", session)).ShouldExit(0, () => _stage.Logs);
        AssertInert(shown.Stdout);
        Assert.Contains(@"justification: \e[2J\e]0;owned\x07ticket 7\n" + Forged, shown.Stdout, StringComparison.Ordinal);
        var listed = (await _stage.Alice.RunAsync("sessions", "list", "--client", "desk")).ShouldExit(0, () => _stage.Logs);
        AssertInert(listed.Stdout);
    }

    /// <summary>No escape character, no bell, and no line that starts with the forged text.</summary>
    private static void AssertInert(string output)
    {
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith(Forged, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"request ([0-9a-f]+) ")]
    private static partial Regex Request();

    [GeneratedRegex(@"session ([0-9a-f-]{36}):")]
    private static partial Regex Session();

    public void Dispose() => _stage?.Agent.Dispose();
}
