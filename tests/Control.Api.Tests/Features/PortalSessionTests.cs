using System.Net;
using System.Text.Json;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Control.Api.Tests.Features;

/// <summary>The portal's cookie sessions: how they start, what they carry, what ends them, and the anti-forgery rules.</summary>
[Collection("api")]
public class PortalSessionTests(ApiFixture api)
{
    private static LoginRequest Credentials(string organization, string username, string? totp = null, string? recovery = null) =>
        new(organization, username, ApiFixture.Password, totp, recovery);

    private async Task<(Client Browser, PortalSessionResponse Session)> SignIn(string organization, string username)
    {
        var browser = api.Anonymous();
        var session = await browser.PostOk<PortalSessionResponse>("/portal/session", Credentials(organization, username));
        browser.CsrfToken = session.CsrfToken;
        return (browser, session);
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookie_AndNoTokenReachesTheBody()
    {
        var org = await api.NewOrganization();
        var browser = api.Anonymous();

        var response = await browser.Post("/portal/session", Credentials(org.Slug, "owner"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("control-session=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("expires=", cookie, StringComparison.Ordinal); // a browser-session cookie
        Assert.DoesNotContain("secure", cookie, StringComparison.Ordinal); // plain HTTP here; Secure (and __Host-) over HTTPS
        Assert.DoesNotContain("accessToken", body, StringComparison.Ordinal);
        Assert.DoesNotContain("refreshToken", body, StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookie!.Split('=', 2)[1], body, StringComparison.Ordinal);

        var session = JsonSerializer.Deserialize<PortalSessionResponse>(body, Client.Json)!;
        Assert.Equal("owner", session.Operator.Role);
        Assert.Contains(Policies.ManageClients, session.Permissions);
        Assert.Equal(15 * 60, session.IdleTimeoutSeconds);
        Assert.Equal("owner", (await browser.GetOk<WhoAmIResponse>("/me")).Username);
    }

    [Fact]
    public async Task BehindATrustedProxy_TheCookieIsSecureAndHostPrefixed_AndTheClientAddressIsAudited_ButNotFromAnyoneElse()
    {
        var org = await api.NewOrganization();
        await using var proxied = await ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), api.MasterKey, new LogCapture(),
            settings: new Dictionary<string, string> { ["Control:TrustedProxies:0"] = "198.51.100.0/28" });
        using var http = proxied.Server.CreateClient();

        async Task<HttpResponseMessage> SignInThrough(string peer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/portal/session")
            {
                Content = System.Net.Http.Json.JsonContent.Create(Credentials(org.Slug, "owner"), options: Client.Json),
            };
            request.Headers.Add(ApiHost.TestSourceHeader, peer);
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
            return await http.SendAsync(request);
        }

        var viaProxy = await SignInThrough("198.51.100.10");
        Assert.Equal(HttpStatusCode.OK, viaProxy.StatusCode);
        var secure = Assert.Single(viaProxy.Headers.GetValues("Set-Cookie")).ToLowerInvariant();
        Assert.StartsWith("__host-control-session=", secure, StringComparison.Ordinal);
        Assert.Contains("; secure", secure, StringComparison.Ordinal);

        // The same headers from a peer that is not a listed proxy are ignored: plain cookie, the peer's own address.
        var direct = await SignInThrough("198.51.100.99");
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.StartsWith("control-session=", Assert.Single(direct.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);

        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(org.Slug);
        var sources = (await session.Events.QueryRawEventDataOnly<Control.Domain.Operators.OperatorSignedIn>().ToListAsync()).Select(e => e.Source).ToList();
        Assert.Contains("203.0.113.7", sources);
        Assert.Contains("198.51.100.99", sources);
        Assert.DoesNotContain("198.51.100.10", sources);
    }

    [Fact]
    public async Task TrustedProxies_ThatAreNotAddresses_StopTheStartWithAMessageNamingThem()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), api.MasterKey,
            new LogCapture(), settings: new Dictionary<string, string> { ["Control:TrustedProxies:0"] = "proxy.example.com" }));
        var messages = string.Join(" | ", Exceptions(failure).Select(e => e.Message));
        Assert.Contains("Control:TrustedProxies: 'proxy.example.com' is neither an IP address nor a network", messages, StringComparison.Ordinal);

        static IEnumerable<Exception> Exceptions(Exception e)
        {
            for (Exception? current = e; current is not null; current = current.InnerException)
            {
                yield return current;
            }
        }
    }

    [Fact]
    public async Task Permissions_AreThePoliciesTheRolePasses_ForCookieAndBearerAlike()
    {
        var org = await api.NewOrganization();
        var (_, technicianBearer) = await org.Operator("tina", "technician");
        var (_, session) = await SignIn(org.Slug, "tina");

        Assert.Equal([Policies.ReadClients, Policies.ReadSessions, Policies.UseDirectory], session.Permissions.Order().ToArray() is var p ? p : []);
        var asBearer = await technicianBearer.GetOk<PortalSessionResponse>("/portal/session");
        Assert.Equal(session.Permissions, asBearer.Permissions);
        Assert.Null(asBearer.CsrfToken);
        Assert.Empty(session.GrantableRoles);

        var (_, admin) = await org.Operator("sam", "security-admin");
        Assert.DoesNotContain("owner", (await admin.GetOk<PortalSessionResponse>("/portal/session")).GrantableRoles);
        Assert.Contains("owner", (await org.Owner.GetOk<PortalSessionResponse>("/portal/session")).GrantableRoles);
    }

    [Fact]
    public async Task SignIn_WithTwoFactor_NeedsTheCode_AndTheEnrolmentShowsAQrCodeImage()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        var enrollment = await bob.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        Assert.StartsWith("data:image/png;base64,", enrollment.QrCodePng, StringComparison.Ordinal);
        var png = Convert.FromBase64String(enrollment.QrCodePng!["data:image/png;base64,".Length..]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        var totp = new Totp(Base32Encoding.ToBytes(enrollment.Secret));
        var recovery = await bob.PostOk<RecoveryCodesResponse>("/me/2fa/confirm", new TwoFactorCodeRequest(totp.ComputeTotp(), null));

        var browser = api.Anonymous();
        var required = await Client.Problem(await browser.Post("/portal/session", Credentials(org.Slug, "bob")), HttpStatusCode.Unauthorized);
        Assert.Equal(SignInProblemCodes.SecondFactorRequired, required.GetProperty("code").GetString());
        Assert.Null(browser.Cookie);

        var wrong = await Client.Problem(await browser.Post("/portal/session", Credentials(org.Slug, "bob", totp: "000000")), HttpStatusCode.Unauthorized);
        Assert.Equal(SignInProblemCodes.InvalidSecondFactor, wrong.GetProperty("code").GetString());

        var signedIn = await browser.PostOk<PortalSessionResponse>("/portal/session", Credentials(org.Slug, "bob", recovery: recovery.RecoveryCodes[0]));
        Assert.True(signedIn.Operator.TwoFactorEnabled);
        Assert.NotNull(browser.Cookie);
    }

    [Fact]
    public async Task UnsafeCookieRequests_NeedTheSessionsCsrfToken_BearerRequestsDoNot()
    {
        var org = await api.NewOrganization();
        var (browser, session) = await SignIn(org.Slug, "owner");
        var (_, other) = await SignIn(org.Slug, "owner");

        browser.CsrfToken = null;
        var missing = await Client.Problem(await browser.Post("/me/2fa/enroll"), HttpStatusCode.Forbidden);
        Assert.Equal("csrf.invalid", missing.GetProperty("code").GetString());
        browser.CsrfToken = other.CsrfToken; // another session's token does not fit this one
        await Client.Problem(await browser.Post("/me/2fa/enroll"), HttpStatusCode.Forbidden);

        browser.CsrfToken = session.CsrfToken;
        await browser.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        Assert.Equal(HttpStatusCode.OK, (await org.Owner.Post("/me/2fa/enroll")).StatusCode);

        // Anonymous endpoints act on no session: signing in again with the old cookie needs no token.
        browser.CsrfToken = null;
        await browser.PostOk<PortalSessionResponse>("/portal/session", Credentials(org.Slug, "owner"));
    }

    [Fact]
    public async Task CrossSiteOrigin_IsRefused_EvenForSignIn()
    {
        var org = await api.NewOrganization();
        var browser = api.Anonymous();
        browser.Origin = "https://attacker.example";

        var refused = await Client.Problem(await browser.Post("/portal/session", Credentials(org.Slug, "owner")), HttpStatusCode.Forbidden);

        Assert.Equal("csrf.cross_site", refused.GetProperty("code").GetString());
        Assert.Null(browser.Cookie);
        browser.Origin = "http://localhost";
        await browser.PostOk<PortalSessionResponse>("/portal/session", Credentials(org.Slug, "owner"));
    }

    [Fact]
    public async Task DisablingAnOperator_EndsTheirPortalSession_OnTheNextRequest()
    {
        var org = await api.NewOrganization();
        var (bobId, _) = await org.Operator("bob", "security-admin");
        var (browser, _) = await SignIn(org.Slug, "bob");
        Assert.Equal("bob", (await browser.GetOk<WhoAmIResponse>("/me")).Username);

        await org.Owner.PostOk<OperatorActionResponse>($"/operators/{bobId}/disable", new OperatorActionRequest("left", null));

        var ended = await Client.Problem(await browser.Get("/me"), HttpStatusCode.Unauthorized);
        Assert.Equal("Not signed in.", ended.GetProperty("title").GetString());
        Assert.Null(browser.Cookie); // the dead cookie was deleted
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_SoACopiedCookieIsDeadToo()
    {
        var org = await api.NewOrganization();
        var (browser, _) = await SignIn(org.Slug, "owner");
        var copy = browser.Cookie;

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Delete("/portal/session")).StatusCode);

        Assert.Null(browser.Cookie);
        var thief = api.Anonymous();
        thief.Cookie = copy;
        await Client.Problem(await thief.Get("/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task IdleSession_Ends_AndActivityKeepsItAlive()
    {
        var org = await api.NewOrganization();
        var (browser, _) = await SignIn(org.Slug, "owner");
        var (idle, _) = await SignIn(org.Slug, "owner");
        var store = api.Host.Services.GetRequiredService<IDocumentStore>();

        // 14 minutes without a request: still alive, and the request slides the window.
        await MoveLastSeen(store, org.Slug, browser, TimeSpan.FromMinutes(14));
        await browser.GetOk<WhoAmIResponse>("/me");
        await MoveLastSeen(store, org.Slug, browser, TimeSpan.FromMinutes(14));
        await browser.GetOk<WhoAmIResponse>("/me");

        await MoveLastSeen(store, org.Slug, idle, TimeSpan.FromMinutes(16));
        await Client.Problem(await idle.Get("/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsPortalSessionsAndTokens_AndIsAnAuditedEvent()
    {
        var org = await api.NewOrganization();
        var (_, bobBearer) = await org.Operator("bob", "hr");
        var (browser, _) = await SignIn(org.Slug, "bob");
        var (otherBrowser, _) = await SignIn(org.Slug, "bob");

        Assert.Equal(HttpStatusCode.NoContent, (await browser.Post("/me/sign-out-everywhere", new ReasonRequest("laptop left on a train"), "corr-everywhere")).StatusCode);

        await Client.Problem(await otherBrowser.Get("/me"), HttpStatusCode.Unauthorized);
        await Client.Problem(await bobBearer.Get("/me"), HttpStatusCode.Unauthorized);
        var audit = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorSignedOutEverywhere");
        var entry = Assert.Single(audit.Items);
        Assert.Equal($"bob@{org.Slug}", entry.Actor);
        Assert.Equal("laptop left on a train", entry.Reason);
        Assert.Equal("corr-everywhere", entry.CorrelationId);
    }

    [Fact]
    public async Task Portal_IsServedAtTheRoot_WithStrictHeaders_AndApiPathsStayTheApis()
    {
        var org = await api.NewOrganization();
        var anonymous = api.Anonymous();

        var page = await anonymous.Get("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/assets/app.js", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(PortalHosting.ContentSecurityPolicy, string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", string.Join(",", page.Headers.GetValues("Referrer-Policy")));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/assets/app.js")).StatusCode);
        // The bundled packages' licences ship beside the bundle (the minifier drops their own notices).
        var notices = await (await anonymous.Get("/assets/THIRD-PARTY-NOTICES.txt")).Content.ReadAsStringAsync();
        Assert.Contains("asciinema-player 3.18.0 (Apache-2.0)", notices, StringComparison.Ordinal);
        Assert.Contains("Apache License", notices, StringComparison.Ordinal);
        Assert.Contains("preact ", notices, StringComparison.Ordinal);

        // Unknown paths are the API's: a problem, never index.html (anonymous callers learn nothing about which exist).
        await Client.Problem(await org.Owner.Get("/no/such/endpoint"), HttpStatusCode.NotFound);
        await Client.Problem(await anonymous.Get("/no/such/endpoint"), HttpStatusCode.Unauthorized);
        await Client.Problem(await anonymous.Get("/clients"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Get("/openapi/v1.json")).StatusCode);
    }

    private static async Task MoveLastSeen(IDocumentStore store, string organization, Client browser, TimeSpan ago)
    {
        Assert.True(SessionTokens.TryParse(Uri.UnescapeDataString(browser.Cookie!.Split('=', 2)[1]), out _, out var id, out _));
        await using var session = store.LightweightSession(organization);
        var portal = (await session.LoadAsync<PortalSession>(id))!;
        portal.LastSeenAt = DateTimeOffset.UtcNow - ago;
        session.Store(portal);
        await session.SaveChangesAsync();
    }
}
