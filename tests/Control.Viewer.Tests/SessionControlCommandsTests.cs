using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control sessions kill</c>, <c>control tokens list/revoke</c>, <c>control org session-settings</c> against a scripted server.</summary>
public sealed class SessionControlCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid SessionId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d70");
    private static readonly Guid ClientId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d7e");

    private static TestConsole SignedIn() => TestConsole.SignedIn(Now, "sally", "security-admin");

    // As the API writes it (reflection-based, web defaults): the viewer reads it with its source-generated metadata.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    [Fact]
    public async Task SessionsKill_PostsTheReason_AndSaysWhatHappens()
    {
        using var console = SignedIn();
        console.Server.On($"POST /sessions/{SessionId}/kill", HttpStatusCode.OK, Json(new KillSessionResponse(SessionId, ClientId, 7, true)));

        Assert.Equal(0, await console.RunAsync("sessions", "kill", SessionId.ToString(), "--reason", "suspicious commands"));

        Assert.Equal("suspicious commands", JsonDocument.Parse(console.Server.Requests[0].Body).RootElement.GetProperty("reason").GetString());
        Assert.Contains($"Session {SessionId} is ended by an operator", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionsKill_WithoutReason_IsAUsageErrorAndNothingIsSent()
    {
        using var console = SignedIn();

        Assert.NotEqual(0, await console.RunAsync("sessions", "kill", SessionId.ToString()));

        Assert.Empty(console.Server.Requests);
        Assert.Contains("--reason", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokensList_PrintsATable_AndJsonAsSent()
    {
        using var console = SignedIn();
        var token = new RememberTokenView("aaaa000000000001", ClientId, "alice@acme", "laptop", 0, Now.AddDays(-1), SessionId, Now.AddHours(-1));
        console.Server.On("GET /clients/kiosk1/tokens", HttpStatusCode.OK, Json(new[] { token, token with { TokenId = "bbbb000000000002", LastUsedAt = null } }));
        console.Server.On("GET /clients/kiosk1/tokens", HttpStatusCode.OK, Json(new[] { token }));

        Assert.Equal(0, await console.RunAsync("tokens", "list", "kiosk1"));
        var lines = console.Out.ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith("TOKEN ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("aaaa000000000001", lines[1], StringComparison.Ordinal);
        Assert.Contains("laptop", lines[1], StringComparison.Ordinal);
        Assert.Contains("never", lines[2], StringComparison.Ordinal);
        Assert.Contains("control tokens revoke kiosk1 TOKEN-ID --reason TEXT", console.Out, StringComparison.Ordinal);

        using var json = SignedIn();
        json.Server.On("GET /clients/kiosk1/tokens", HttpStatusCode.OK, Json(new[] { token }));
        Assert.Equal(0, await json.RunAsync("tokens", "list", "kiosk1", "--json"));
        Assert.Equal(Json(new[] { token }), Json(JsonSerializer.Deserialize<List<RememberTokenView>>(json.Out, ApiClient.Json)));
    }

    [Fact]
    public async Task TokensRevoke_PostsReasonAndVersion()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/tokens/aaaa000000000001/revoke", HttpStatusCode.OK, Json(new ClientChangeResponse(ClientId, "123456789", 9, true)));

        Assert.Equal(0, await console.RunAsync("tokens", "revoke", "kiosk1", "aaaa000000000001", "--reason", "lost laptop", "--expected-version", "8"));

        var body = JsonDocument.Parse(console.Server.Requests[0].Body).RootElement;
        Assert.Equal(("lost laptop", 8L), (body.GetProperty("reason").GetString(), body.GetProperty("expectedVersion").GetInt64()));
        Assert.Contains("Revoked remember-token aaaa000000000001 of kiosk1 (123456789)", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrgSessionSettings_WithoutFlagsShows_WithFlagsPutsAndNeedsAReason()
    {
        using var show = SignedIn();
        show.Server.On("GET /organization/session-settings", HttpStatusCode.OK, Json(new SessionSettingsView(false, true, 4)));
        Assert.Equal(0, await show.RunAsync("org", "session-settings"));
        Assert.Contains("require justification: off", show.Out, StringComparison.Ordinal);
        Assert.Contains("record shells:         on", show.Out, StringComparison.Ordinal);

        using var noReason = SignedIn();
        Assert.NotEqual(0, await noReason.RunAsync("org", "session-settings", "--require-justification", "on"));
        Assert.Empty(noReason.Server.Requests);
        Assert.NotEqual(0, await noReason.RunAsync("org", "session-settings", "--record-shells", "maybe", "--reason", "x"));
        Assert.Empty(noReason.Server.Requests);

        using var change = SignedIn();
        change.Server.On("PUT /organization/session-settings", HttpStatusCode.OK,
            Json(new SessionSettingsChangeResponse(new SessionSettingsView(true, false, 5), true)));
        var exitCode = await change.RunAsync("org", "session-settings", "--require-justification", "on", "--record-shells", "off", "--reason", "works council");
        Assert.True(exitCode == 0, change.Error);
        var body = JsonDocument.Parse(change.Server.Requests[0].Body).RootElement;
        Assert.True(body.GetProperty("requireJustification").GetBoolean());
        Assert.False(body.GetProperty("recordShellSessions").GetBoolean());
        Assert.Equal("works council", body.GetProperty("reason").GetString());
        Assert.Contains("Changed the session settings", change.Out, StringComparison.Ordinal);
        Assert.Contains("require justification: on", change.Out, StringComparison.Ordinal);
    }
}
