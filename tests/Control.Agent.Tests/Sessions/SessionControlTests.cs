using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;

using static Control.Agent.Tests.Sessions.SessionWire;

namespace Control.Agent.Tests.Sessions;

/// <summary>
/// What the policy's session controls do to real sessions over TLS: an operator's kill, a revoked remember-token, a
/// required justification, shell recording off.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SessionControlTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LiveSession_ListedAsTerminatedInANewPolicy_EndsWithinOneSecond_AndOnlyThatOne(bool running)
    {
        await using var rig = new SessionRig();
        using var viewer = rig.Viewer();
        await using var targetSsl = await rig.DialAsync(viewer);
        using var target = Socket(targetSsl);
        var accepted = Assert.IsType<Accepted>(await Authenticate(target, rig.Password));
        if (running)
        {
            // A program in flight: it is killed, and the viewer still learns why (not just an exit code).
            await Send(target, new ExecRequest("sleep", ["30"]));
            await WaitFor(() => rig.LogText.Contains("exec sleep", StringComparison.Ordinal), rig);
        }
        await using var bystanderSsl = await rig.DialAsync(viewer);
        using var bystander = Socket(bystanderSsl);
        var other = Assert.IsType<Accepted>(await Authenticate(bystander, rig.Password));

        var watch = Stopwatch.StartNew();
        Replace(rig, p => p with { TerminatedSessions = [accepted.SessionId] });
        var ended = Assert.IsType<SessionEnded>(await Receive(target));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the session ended after {watch.Elapsed}");
        Assert.Equal(SessionAdmission.EndedByOperator, ended.Message);
        await WaitFor(() => rig.Audit.Events.OfType<SessionClosed>().Any(c => c.SessionId == accepted.SessionId), rig);
        var closed = rig.Audit.Events.OfType<SessionClosed>().Single(c => c.SessionId == accepted.SessionId);
        Assert.Equal(("operator", SessionAdmission.EndedByOperator), (closed.EndedBy, closed.Reason));

        // The other session goes on: it still runs commands.
        await Send(bystander, new ExecRequest("sh", ["-c", "printf still-here"]));
        Assert.Equal("still-here", await ReadOutputUntilExit(bystander));
        Assert.Contains(rig.Listener.Live, s => s.Id == other.SessionId);
    }

    [Fact]
    public async Task RevokedRememberToken_IsRefused_AndTheLiveSessionItAdmittedEnds_PasswordSessionsStay()
    {
        await using var rig = new SessionRig();
        using var viewer = rig.Viewer();
        await using var passwordSsl = await rig.DialAsync(viewer);
        using var password = Socket(passwordSsl);
        var token = Assert.IsType<Accepted>(await Authenticate(password, rig.Password, remember: true)).RememberToken!;
        var tokenId = rig.Audit.Events.OfType<RememberTokenIssued>().Single().TokenId;
        await using var tokenSsl = await rig.DialAsync(viewer);
        using var byToken = Socket(tokenSsl);
        await Send(byToken, new Hello(SessionProtocol.Version, null, token, false, null));
        var admitted = Assert.IsType<Accepted>(await Receive(byToken));
        Assert.Contains($"remember-token {tokenId}", admitted.Methods);

        var watch = Stopwatch.StartNew();
        Replace(rig, p => p with { RevokedTokenIds = [tokenId] });
        var ended = Assert.IsType<SessionEnded>(await Receive(byToken));
        watch.Stop();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"the session ended after {watch.Elapsed}");
        Assert.Contains($"remember-token {tokenId} this session used was revoked", ended.Message, StringComparison.Ordinal);
        await using (var againSsl = await rig.DialAsync(viewer))
        {
            using var again = Socket(againSsl);
            await Send(again, new Hello(SessionProtocol.Version, null, token, false, null));
            Assert.Equal(new PasswordRequired(Exclusive: false), await Receive(again));
        }

        Assert.Contains("unknown, cleared, revoked or not theirs", rig.LogText, StringComparison.Ordinal);
        await Send(password, new ExecRequest("sh", ["-c", "printf password-session"]));
        Assert.Equal("password-session", await ReadOutputUntilExit(password));
    }

    [Fact]
    public async Task JustificationRequired_WithoutOneTheViewerIsToldWhy_WithOneItProceeds_OutsideTheAclOnlyDenied()
    {
        await using var rig = new SessionRig(p => p with
        {
            Acl = new PolicyAcl(true, ["alice@acme"]),
            Sessions = new PolicySessionSettings(RequireJustification: true, RecordShellSessions: true),
        });
        using var alice = rig.Viewer();
        using var bob = rig.Viewer("bob@acme");

        foreach (var blank in new[] { null, "  " })
        {
            await using var ssl = await rig.DialAsync(alice);
            using var socket = Socket(ssl);
            await Send(socket, new Hello(SessionProtocol.Version, blank, null, false, null));
            Assert.Equal(new Denied(SessionAdmission.JustificationRequired), await Receive(socket));
        }

        await using (var ssl = await rig.DialAsync(alice))
        {
            using var socket = Socket(ssl);
            await Send(socket, new Hello(SessionProtocol.Version, "ticket 7", null, false, null));
            Assert.IsType<PasswordRequired>(await Receive(socket));
        }

        await using (var ssl = await rig.DialAsync(bob))
        {
            using var socket = Socket(ssl);
            await Send(socket, new Hello(SessionProtocol.Version, null, null, false, null));
            Assert.Equal(new Denied("denied"), await Receive(socket));
        }

        Assert.Equal(2, rig.Audit.Events.OfType<SessionDenied>().Count(d => d.Reason == SessionAdmission.JustificationRequired));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Shell_IsRecordedOnlyWhenThePolicySaysSo(bool record)
    {
        await using var rig = new SessionRig(p => p with { Sessions = p.Sessions with { RecordShellSessions = record } });
        using var viewer = rig.Viewer();
        await using var ssl = await rig.DialAsync(viewer);
        using var socket = Socket(ssl);
        var accepted = Assert.IsType<Accepted>(await Authenticate(socket, rig.Password));

        await Send(socket, new ShellRequest("xterm", 80, 24));
        byte[] input = [(byte)DataStream.Stdin, .. Encoding.UTF8.GetBytes("echo marker-$((6*7)); exit\n")];
        await socket.SendAsync(input.AsMemory(), WebSocketMessageType.Binary, true, CancellationToken.None).AsTask().WaitAsync(SessionRig.Bounded);
        var output = await ReadOutputUntilExit(socket);

        Assert.Contains("marker-42", output, StringComparison.Ordinal);
        var opened = rig.Audit.Events.OfType<SessionChannelOpened>().Single(c => c.Channel == "shell");
        if (record)
        {
            // Sealed in parts, the last one final, each part's hash audited before the part is queued for upload.
            await WaitFor(() => rig.Audit.Events.OfType<SessionRecordingPart>().Any(p => p.Final), rig);
            var parts = rig.Audit.Events.OfType<SessionRecordingPart>().OrderBy(p => p.Index).ToList();
            Assert.Equal(Enumerable.Range(0, parts.Count), parts.Select(p => p.Index));
            var bytes = parts.Select(p => File.ReadAllBytes(rig.Audit.Recordings.Single(r => r.Index == p.Index).Path)).ToList();
            Assert.All(parts.Zip(bytes), pair => Assert.Equal(pair.First.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pair.Second))));
            Assert.Equal(parts.Select(p => p.Offset), parts.Select((p, i) => bytes.Take(i).Sum(b => (long)b.Length)));
            Assert.Contains("marker-42", Encoding.UTF8.GetString([.. bytes.SelectMany(b => b)]), StringComparison.Ordinal);
            Assert.EndsWith(", recorded", opened.Detail, StringComparison.Ordinal);
        }
        else
        {
            await WaitFor(() => rig.LogText.Contains("shell exited", StringComparison.Ordinal), rig);
            Assert.False(Directory.Exists(rig.Services.Recordings) && Directory.EnumerateFiles(rig.Services.Recordings).Any(), "a recording was written");
            Assert.Empty(rig.Audit.Events.OfType<SessionRecordingPart>());
            Assert.Empty(rig.Audit.Recordings);
            Assert.EndsWith(", not recorded", opened.Detail, StringComparison.Ordinal);
        }
    }

    private static void Replace(SessionRig rig, Func<ClientPolicy, ClientPolicy> change)
    {
        var current = rig.Policy.Current!;
        rig.Policy.Replace(change(current) with { Version = current.Version + 1 });
    }

    private static async Task<SessionMessage> Authenticate(WebSocket socket, string password, bool remember = false)
    {
        await Send(socket, new Hello(SessionProtocol.Version, null, null, remember, "test device"));
        Assert.IsType<PasswordRequired>(await Receive(socket));
        var scram = new ScramClient("viewer", password);
        await Send(socket, new ScramStart(scram.First()));
        var challenge = Assert.IsType<ScramChallenge>(await Receive(socket));
        await Send(socket, new ScramProof(scram.Respond(challenge.ServerFirst)!));
        Assert.IsType<ScramOutcome>(await Receive(socket));
        return await Receive(socket);
    }

    /// <summary>Standard output (and the terminal's) until <see cref="ProcessExited"/>.</summary>
    private static async Task<string> ReadOutputUntilExit(WebSocket socket)
    {
        var output = new StringBuilder();
        var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(SessionRig.Bounded);
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                output.Append(Encoding.UTF8.GetString(buffer, 1, result.Count - 1));
                continue;
            }

            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            Assert.IsType<ProcessExited>(SessionProtocol.Deserialize(buffer.AsSpan(0, result.Count)));
            return output.ToString();
        }
    }
}
