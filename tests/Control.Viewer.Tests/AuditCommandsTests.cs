using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control audit sessions</c> and <c>control audit export</c> against a scripted server.</summary>
public sealed class AuditCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static TestConsole SignedIn()
    {
        var console = new TestConsole() { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(new Credentials(
            new Uri("http://127.0.0.1:8080"), "acme", "audrey", "auditor", "access", Now.AddMinutes(10), "refresh", Now.AddDays(7)));
        return console;
    }

    [Fact]
    public async Task Sessions_SendsTheFiltersAndPrintsOutcomePersonAndFiles()
    {
        using var console = SignedIn();
        var row = new SessionHistoryRow(
            Guid.CreateVersion7(), Now.AddMinutes(-10), null, null, Guid.CreateVersion7(), "123456789", "desk@acme", "eve@acme", Guid.CreateVersion7(),
            "Eve Example", "192.0.2.7:50000", null, "denied", "not in the access control list", null, null, [], [], [], null);
        var ended = row with
        {
            SessionId = Guid.CreateVersion7(), Outcome = "ended", DeniedReason = null, EndedBy = "viewer", DurationMilliseconds = 90_000,
            Methods = ["acl", "password"], Channels = ["shell"], Files = [new SessionFileView("upload", "/tmp/r.pdf", 1234, new string('a', 64), Now)],
            RecordingUrl = "/sessions/x/recording",
        };
        console.Server.On("GET /audit/sessions", HttpStatusCode.OK, JsonSerializer.Serialize(new SessionHistoryPage([row, ended], "cursor1"), ApiJson.Options));

        var exitCode = await console.RunAsync("audit", "sessions", "--person", "eve@example.com", "--denied", "--since", "7d");

        Assert.Equal(0, exitCode);
        Assert.Equal("?person=eve%40example.com&denied=true&from=2026-11-18T12%3A00%3A00.0000000%2B00%3A00&limit=50", console.Server.Requests[0].Query);
        var lines = console.Out.TrimEnd().ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("denied: not in the access control list", lines[1], StringComparison.Ordinal);
        Assert.Contains("Eve Example", lines[1], StringComparison.Ordinal);
        Assert.Contains("upload /tmp/r.pdf (1234 B)", lines[2], StringComparison.Ordinal);
        Assert.Contains($"control sessions replay {ended.SessionId}", lines[2], StringComparison.Ordinal);
        Assert.Contains("--all", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WritesTheBodyUnchangedToTheFile()
    {
        using var console = SignedIn();
        const string Csv = "sequence,timestamp,type,actor,target,reason\r\n7,2026-11-25T11:00:00.0000000+00:00,OperatorDisabled,owner@acme,operator bob@acme,\"left, \"\"early\"\"\nÜ ✓\"\r\n";
        console.Server.On("GET /audit/events/export", HttpStatusCode.OK, Csv);
        var file = Path.Combine(Path.GetDirectoryName(console.ConfigDirectory)!, "changes.csv");

        var exitCode = await console.RunAsync("audit", "export", "events", "--format", "csv", "--target", "operator:bob", "--output", file);

        Assert.Equal(0, exitCode);
        Assert.Equal("?target=operator%3Abob&format=csv", console.Server.Requests[0].Query);
        Assert.Equal(Csv, await File.ReadAllTextAsync(file));
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task Export_UnknownTarget_IsAReadableErrorAndNoFile()
    {
        using var console = SignedIn();
        console.Server.On("GET /audit/sessions/export", HttpStatusCode.NotFound,
            """{"type":"https://control.invalid/problems/not-found","title":"Not found.","status":404,"detail":"No client with that identifier exists in your organization."}""");
        var file = Path.Combine(Path.GetDirectoryName(console.ConfigDirectory)!, "sessions.jsonl");

        var exitCode = await console.RunAsync("audit", "export", "sessions", "--format", "jsonl", "--client", "nosuch", "--output", file);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("No client with that identifier", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task Export_BadFormat_IsAUsageErrorWithoutAnyRequest()
    {
        using var console = SignedIn();

        var exitCode = await console.RunAsync("audit", "export", "events", "--format", "xml");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("xml", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }
}
