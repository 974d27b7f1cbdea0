using System.Net;
using System.Text;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control sessions list/show/replay</c> against a scripted server: what is asked, what is printed.</summary>
public sealed class SessionsCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid SessionId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d70");
    private static readonly Guid ClientId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d7e");

    private static TestConsole SignedIn() => TestConsole.SignedIn(Now, "audrey", "auditor");

    // As the API writes it (reflection-based, web defaults): the viewer reads it with its source-generated metadata.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    private static SessionSummaryView Closed() => new(
        SessionId, ClientId, "123456789", "kiosk1@acme", "alice@acme", "192.0.2.7:50000", "ticket 42", Now.AddMinutes(-10), Now.AddMinutes(-10),
        Now.AddMinutes(-8).AddSeconds(-30), 90_000, ["acl", "password"], ["shell"],
        [new SessionFileView("upload", "/tmp/report.pdf", 1234, new string('a', 64), Now.AddMinutes(-9))], null, "viewer", null, 100, 2000, false, true);

    [Fact]
    public async Task List_SendsTheFiltersAndPrintsATable()
    {
        using var console = SignedIn();
        var denied = Closed() with
        {
            SessionId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d71"), ViewerAlias = "eve@acme", AuthenticatedAt = null, ClosedAt = null,
            DurationMilliseconds = null, Methods = [], DeniedReason = "not in the access control list",
        };
        console.Server.On("GET /sessions", HttpStatusCode.OK, Json(new[] { denied, Closed() }));

        var exitCode = await console.RunAsync("sessions", "list", "--client", "kiosk1", "--viewer", "alice", "--live");

        Assert.Equal(0, exitCode);
        Assert.Equal("?client=kiosk1&viewer=alice&live=true", console.Server.Requests[0].Query);
        var lines = console.Out.TrimEnd().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("eve@acme", lines[1], StringComparison.Ordinal);
        Assert.Contains("denied: not in the access control list", lines[1], StringComparison.Ordinal);
        Assert.Contains("acl+password", lines[2], StringComparison.Ordinal);
        Assert.Contains("ended by viewer", lines[2], StringComparison.Ordinal);
        Assert.Contains("1m30s", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_WritesWhatTheServerSent()
    {
        using var console = SignedIn();
        console.Server.On("GET /sessions", HttpStatusCode.OK, Json(new[] { Closed() }));

        Assert.Equal(0, await console.RunAsync("sessions", "list", "--json"));

        var listed = JsonSerializer.Deserialize<List<SessionSummaryView>>(console.Out, ApiClient.Json)!;
        Assert.Equal(Json(new[] { Closed() }), Json(listed));
    }

    [Fact]
    public async Task Show_PrintsEveryFactOfTheSession()
    {
        using var console = SignedIn();
        console.Server.On($"GET /sessions/{SessionId}", HttpStatusCode.OK, Json(Closed()));

        Assert.Equal(0, await console.RunAsync("sessions", "show", SessionId.ToString()));

        Assert.Contains("viewer:".PadRight(15) + "alice@acme", console.Out, StringComparison.Ordinal);
        Assert.Contains("justification:".PadRight(15) + "ticket 42", console.Out, StringComparison.Ordinal);
        Assert.Contains("by acl + password", console.Out, StringComparison.Ordinal);
        Assert.Contains("recording:".PadRight(15) + $"yes (control sessions replay {SessionId})", console.Out, StringComparison.Ordinal);
        Assert.Contains($"upload /tmp/report.pdf 1234 bytes sha256 {new string('a', 64)}", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_UnknownSession_Exits1WithTheServersReason()
    {
        using var console = SignedIn();
        console.Server.On($"GET /sessions/{SessionId}", HttpStatusCode.NotFound,
            """{"status":404,"title":"Not found.","detail":"No session with that identifier exists in your organization."}""");

        Assert.Equal(1, await console.RunAsync("sessions", "show", SessionId.ToString()));
        Assert.Contains("No session with that identifier", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_SpeedZero_PrintsTheOutputEventsInOrder()
    {
        using var console = SignedIn();
        console.Server.On($"GET /sessions/{SessionId}/recording", HttpStatusCode.OK, Cast);

        Assert.Equal(0, await console.RunAsync("sessions", "replay", SessionId.ToString(), "--speed", "0"));

        Assert.Equal("$ whoami\r\nroot\r\n$ exit\r\n", console.Out);
    }

    [Fact]
    public async Task Replay_Raw_WritesTheCastFileUnchanged()
    {
        using var console = SignedIn();
        console.Server.On($"GET /sessions/{SessionId}/recording", HttpStatusCode.OK, Cast);
        using var stdout = new MemoryStream();
        var context = console.Context;
        var raw = new CliContext
        {
            In = context.In, Out = context.Out, Error = context.Error, Environment = context.Environment, Clock = context.Clock,
            CreateHttpHandler = context.CreateHttpHandler, OpenStandardOutput = () => new NonClosing(stdout),
        };

        Assert.Equal(0, await Cli.RunAsync(["sessions", "replay", SessionId.ToString(), "--raw"], raw));

        Assert.Equal(Cast, Encoding.UTF8.GetString(stdout.ToArray()));
    }

    private const string Cast = "{\"version\":2,\"width\":80,\"height\":24,\"timestamp\":1764000000}\n"
        + "[0.1,\"o\",\"$ whoami\\r\\n\"]\n[0.2,\"r\",\"100x30\"]\n[0.3,\"o\",\"root\\r\\n\"]\n[0.5,\"o\",\"$ exit\\r\\n\"]\n";

    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
