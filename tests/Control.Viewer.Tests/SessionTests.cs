using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary>Login, token refresh and session end, against a scripted server: what is sent, stored and printed.</summary>
public sealed class SessionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static string Tokens(string access, string refresh, bool twoFactor = false, string role = "owner") => JsonSerializer.Serialize(
        new TokenResponse(access, Now.AddMinutes(15), refresh, Now.AddDays(7),
            new WhoAmIResponse(Guid.NewGuid(), "alice", "acme", role, twoFactor, twoFactor ? 10 : 0)),
        ApiClient.Json);

    private static string Me() => JsonSerializer.Serialize(new WhoAmIResponse(Guid.NewGuid(), "alice", "acme", "owner", false, 0), ApiClient.Json);

    private const string SecondFactorRequired =
        """{"title":"Sign-in failed.","status":401,"detail":"Enter the code.","code":"sign_in.second_factor_required"}""";

    private static Credentials Stored(DateTimeOffset accessExpiresAt) => new(
        new Uri("http://127.0.0.1:8080"), "acme", "alice", "owner", "old-access", accessExpiresAt, "old-refresh", Now.AddDays(7));

    [Theory]
    [InlineData("123456", "123456", null)]
    [InlineData("123 456", "123456", null)]
    [InlineData("K7QX-M2PD-ABCD-EFGH", null, "K7QX-M2PD-ABCD-EFGH")]
    [InlineData("12345", null, "12345")]
    public async Task Login_WhenSecondFactorRequired_AsksForACodeAndRetriesWithIt(string typed, string? totpCode, string? recoveryCode)
    {
        using var console = new TestConsole("correct horse battery", typed) { Now = Now };
        using var ca = new TestViewerCa();
        console.Server
            .On("POST /auth/login", HttpStatusCode.Unauthorized, SecondFactorRequired)
            .On("POST /auth/login", HttpStatusCode.OK, Tokens("new-access", "new-refresh", twoFactor: true))
            .On("POST /me/viewer-certificate", body => ca.Issue(body, "alice@acme", TimeSpan.FromHours(8)));

        var exitCode = await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice");

        Assert.Equal(0, exitCode);
        Assert.Contains("Authentication code (or recovery code): ", console.Error, StringComparison.Ordinal);
        Assert.Equal("Signed in as alice@acme (owner)", console.Out.Trim());
        var retry = JsonSerializer.Deserialize<LoginRequest>(console.Server.Requests[1].Body, ApiClient.Json)!;
        Assert.Equal(new LoginRequest("acme", "alice", "correct horse battery", totpCode, recoveryCode), retry);
        var stored = new CredentialStore(console.ConfigDirectory).Load()!;
        Assert.Equal(("new-access", "new-refresh", "acme", "alice"), (stored.AccessToken, stored.RefreshToken, stored.Organization, stored.Username));
        Assert.DoesNotContain("correct horse battery", File.ReadAllText(Path.Combine(console.ConfigDirectory, CredentialStore.FileName)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithoutTwoFactor_RecommendsEnrolling()
    {
        using var console = new TestConsole("correct horse battery") { Now = Now };
        using var ca = new TestViewerCa();
        console.Server
            .On("POST /auth/login", HttpStatusCode.OK, Tokens("a", "r"))
            .On("POST /me/viewer-certificate", body => ca.Issue(body, "alice@acme", TimeSpan.FromHours(8)));

        var exitCode = await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice");

        Assert.Equal(0, exitCode);
        Assert.Contains("control 2fa enroll", console.Out, StringComparison.Ordinal);
        Assert.Equal(["POST /auth/login", "POST /me/viewer-certificate"], console.Server.Requests.Select(r => r.Route));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Login_CreatesAPrivateViewerKeyOnceAndAFreshCertificateEachTime()
    {
        using var console = new TestConsole("correct horse battery", "correct horse battery") { Now = Now };
        using var ca = new TestViewerCa();
        console.Server
            .On("POST /auth/login", HttpStatusCode.OK, Tokens("a", "r"))
            .On("POST /auth/login", HttpStatusCode.OK, Tokens("b", "s"))
            .On("POST /me/viewer-certificate", body => ca.Issue(body, "alice@acme", TimeSpan.FromHours(8)));

        Assert.Equal(0, await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice"));
        var keyFile = Path.Combine(console.ConfigDirectory, "viewer.key");
        var firstKey = File.ReadAllText(keyFile);
        var firstCertificate = File.ReadAllText(Path.Combine(console.ConfigDirectory, "viewer.crt"));
        Assert.Equal(0, await console.RunAsync("login"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(firstKey, File.ReadAllText(keyFile));
        Assert.NotEqual(firstCertificate, File.ReadAllText(Path.Combine(console.ConfigDirectory, "viewer.crt")));
        Assert.Equal(2, ca.IssuedFor.Count);
        Assert.Equal(ca.IssuedFor[0], ca.IssuedFor[1]);
        Assert.DoesNotContain("PRIVATE KEY", string.Join("", console.Server.Requests.Select(r => r.Body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WhenNoCertificateCanBeHad_StillSignsInAndSaysSessionsWillNotWork()
    {
        using var console = new TestConsole("correct horse battery") { Now = Now };
        console.Server
            .On("POST /auth/login", HttpStatusCode.OK, Tokens("a", "r"))
            .On("POST /me/viewer-certificate", HttpStatusCode.Forbidden, """{"title":"Not allowed.","status":403,"detail":"Your role may not do this."}""");

        Assert.Equal(0, await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice"));
        Assert.Contains("no viewer certificate", console.Error, StringComparison.Ordinal);
        Assert.NotNull(new CredentialStore(console.ConfigDirectory).Load());
    }

    [Theory]
    [InlineData("auditor")]
    [InlineData("hr")]
    public async Task Login_AsRoleThatOpensNoSessions_SignsInWithoutAskingForACertificate(string role)
    {
        using var console = new TestConsole("correct horse battery") { Now = Now };
        console.Server.On("POST /auth/login", HttpStatusCode.OK, Tokens("a", "r", role: role));

        Assert.Equal(0, await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice"));

        Assert.Equal(["POST /auth/login"], console.Server.Requests.Select(r => r.Route));
        Assert.DoesNotContain("warning", console.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(console.ConfigDirectory, "viewer.crt")));
    }

    [Fact]
    public async Task Exec_AsAuditor_Exits1SayingWhichRolesOpenSessionsWithoutAskingTheApi()
    {
        using var console = TestConsole.SignedIn(Now, "audrey", "auditor");

        Assert.Equal(1, await console.RunAsync("exec", "desk", "--", "true"));

        Assert.Contains("your role (auditor) opens no sessions: only technician, security-admin or owner", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }

    [Fact]
    public async Task Login_WrongPassword_Exits1WithTheServersReasonAndStoresNothing()
    {
        using var console = new TestConsole("wrong") { Now = Now };
        console.Server.On("POST /auth/login", HttpStatusCode.Unauthorized,
            """{"title":"Sign-in failed.","status":401,"detail":"The organization, username or password is wrong.","code":"sign_in.invalid_credentials"}""");

        var exitCode = await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice");

        Assert.Equal(1, exitCode);
        Assert.Contains("error: Sign-in failed: The organization, username or password is wrong.", console.Error, StringComparison.Ordinal);
        Assert.Null(new CredentialStore(console.ConfigDirectory).Load());
    }

    [Fact]
    public async Task Call_RefusedWith401_RefreshesOnceStoresTheRotatedTokenAndRetries()
    {
        using var console = new TestConsole { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(Stored(accessExpiresAt: Now.AddMinutes(10)));
        console.Server
            .On("GET /me", HttpStatusCode.Unauthorized, """{"title":"Not signed in.","status":401}""")
            .On("POST /auth/refresh", HttpStatusCode.OK, Tokens("new-access", "new-refresh"))
            .On("GET /me", HttpStatusCode.OK, Me());

        var exitCode = await console.RunAsync("whoami");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            ["GET /me", "POST /auth/refresh", "GET /me"],
            console.Server.Requests.Select(r => r.Route));
        Assert.Equal("Bearer old-access", console.Server.Requests[0].Authorization);
        Assert.Null(console.Server.Requests[1].Authorization);
        Assert.Equal("old-refresh", JsonSerializer.Deserialize<RefreshRequest>(console.Server.Requests[1].Body, ApiClient.Json)!.RefreshToken);
        Assert.Equal("Bearer new-access", console.Server.Requests[2].Authorization);
        Assert.Equal("new-refresh", new CredentialStore(console.ConfigDirectory).Load()!.RefreshToken);
    }

    [Fact]
    public async Task Call_WithExpiredAccessToken_RefreshesBeforeCalling()
    {
        using var console = new TestConsole { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(Stored(accessExpiresAt: Now.AddMinutes(-1)));
        console.Server
            .On("POST /auth/refresh", HttpStatusCode.OK, Tokens("new-access", "new-refresh"))
            .On("GET /me", HttpStatusCode.OK, Me());

        var exitCode = await console.RunAsync("whoami");

        Assert.Equal(0, exitCode);
        Assert.Equal(["POST /auth/refresh", "GET /me"], console.Server.Requests.Select(r => r.Route));
        Assert.Equal("Bearer new-access", console.Server.Requests[1].Authorization);
    }

    [Fact]
    public async Task Call_AfterAnotherProcessRefreshed_UsesItsTokensInsteadOfRedeemingTheOldRefreshTokenAgain()
    {
        using var console = new TestConsole { Now = Now };
        var store = new CredentialStore(console.ConfigDirectory);
        store.Save(Stored(accessExpiresAt: Now.AddMinutes(10)));
        console.Server
            .On("GET /me", HttpStatusCode.Unauthorized, """{"title":"Not signed in.","status":401}""")
            .On("GET /me", HttpStatusCode.OK, Me());
        var refreshedElsewhere = Stored(accessExpiresAt: Now.AddMinutes(15)) with { AccessToken = "other-access", RefreshToken = "other-refresh" };

        // The file changes between this command's start and its refresh, as when two commands run at once.
        using var api = Infrastructure.SignedInApi.Open(console.Context, null);
        store.Save(refreshedElsewhere);
        var result = await api.SendAsync<Control.Domain.Contracts.WhoAmIResponse>(HttpMethod.Get, "me", null, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(["GET /me", "GET /me"], console.Server.Requests.Select(r => r.Route));
        Assert.Equal("Bearer other-access", console.Server.Requests[1].Authorization);
        Assert.Equal(refreshedElsewhere, store.Load());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://127.0.0.1:9090", false)]
    [InlineData("https://attacker.example", false)]
    public async Task Call_WithServerOption_SendsTokensOnlyToTheServerThatIssuedThem(string server, bool allowed)
    {
        using var console = new TestConsole { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(Stored(accessExpiresAt: Now.AddMinutes(10)));
        console.Server.On("GET /me", HttpStatusCode.OK, Me());

        var exitCode = await console.RunAsync("whoami", "--server", server);

        Assert.Equal(allowed ? 0 : 1, exitCode);
        Assert.Equal(allowed ? 1 : 0, console.Server.Requests.Count);
        if (!allowed)
        {
            Assert.Contains("you are signed in to http://127.0.0.1:8080, not ", console.Error, StringComparison.Ordinal);
            Assert.Contains($"run control login --server {server} --org acme --user alice", console.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Call_WithPlainHttpServerOnAnotherMachine_IsRefusedBeforeAnyRequest()
    {
        using var console = new TestConsole { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(Stored(accessExpiresAt: Now.AddMinutes(10)));

        var exitCode = await console.RunAsync("whoami", "--server", "http://attacker.example");

        Assert.Equal(2, exitCode);
        Assert.Empty(console.Server.Requests);
        Assert.Contains("--allow-insecure-http", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_WhenRefreshIsRefused_Exits1NotSignedInAndDropsTheCredentials()
    {
        using var console = new TestConsole { Now = Now };
        var store = new CredentialStore(console.ConfigDirectory);
        store.Save(Stored(accessExpiresAt: Now.AddMinutes(10)));
        console.Server
            .On("GET /me", HttpStatusCode.Unauthorized, """{"title":"Not signed in.","status":401}""")
            .On("POST /auth/refresh", HttpStatusCode.Unauthorized, """{"title":"Session expired.","status":401,"code":"refresh.invalid"}""");

        var exitCode = await console.RunAsync("whoami");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("not signed in: the session has ended", console.Error, StringComparison.Ordinal);
        Assert.Contains("run control login --server http://127.0.0.1:8080 --org acme --user alice", console.Error, StringComparison.Ordinal);
        Assert.Null(store.Load());
        Assert.DoesNotContain("old-", console.Error + console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChange_Succeeded_DropsTheCredentialsAndSaysToSignInAgain()
    {
        using var console = new TestConsole("old password 1", "new password 22", "new password 22") { Now = Now };
        var store = new CredentialStore(console.ConfigDirectory);
        store.Save(Stored(accessExpiresAt: Now.AddMinutes(10)));
        console.Server.On("POST /me/password", HttpStatusCode.NoContent);

        var exitCode = await console.RunAsync("password", "change");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            "password changed; sign in again: control login --server http://127.0.0.1:8080 --org acme --user alice",
            console.Out.Trim());
        Assert.Null(store.Load());
        var sent = JsonSerializer.Deserialize<ChangePasswordRequest>(console.Server.Requests[0].Body, ApiClient.Json)!;
        Assert.Equal(("old password 1", "new password 22"), (sent.CurrentPassword, sent.NewPassword));
        Assert.DoesNotContain("password 22", console.Out + console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChange_RepeatedDifferently_Exits1AndSendsNothing()
    {
        using var console = new TestConsole("old password 1", "new password 22", "new password 23") { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(Stored(accessExpiresAt: Now.AddMinutes(10)));

        var exitCode = await console.RunAsync("password", "change");

        Assert.Equal(1, exitCode);
        Assert.Contains("the two passwords differ", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }

    [Fact]
    public async Task Login_StandardInputEndsBeforeThePassword_Exits1WithoutCallingTheServer()
    {
        using var console = new TestConsole { Now = Now };

        var exitCode = await console.RunAsync("login", "--server", "http://127.0.0.1:8080", "--org", "acme", "--user", "alice");

        Assert.Equal(1, exitCode);
        Assert.Contains("standard input ended", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }
}
