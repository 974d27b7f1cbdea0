using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using OtpNet;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class SignInTests(ApiFixture api)
{
    [Fact]
    public async Task Lockout_after_repeated_failures_answers_exactly_like_a_wrong_password_or_an_unknown_user()
    {
        var org = await api.NewOrganization();
        await org.Operator("bob", "technician");
        var attacker = api.Anonymous();

        var unknown = await Body(await attacker.Post("/auth/login", new LoginRequest(org.Slug, "nobody", "some wrong passphrase", null, null)));
        var wrong = "";
        for (var i = 0; i < 5; i++)
        {
            wrong = await Body(await attacker.Post("/auth/login", new LoginRequest(org.Slug, "bob", "some wrong passphrase", null, null)));
        }

        // Locked now: even the right password gets the same answer as a wrong one.
        var locked = await Body(await attacker.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, null)));
        Assert.Equal(unknown, wrong);
        Assert.Equal(wrong, locked);
        Assert.Contains("sign_in.invalid_credentials", locked, StringComparison.Ordinal);

        var audit = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorSignInFailed");
        Assert.Equal(5, audit.Items.Count);
        Assert.Contains(audit.Items, e => e.Data.GetProperty("lockedUntil").ValueKind == System.Text.Json.JsonValueKind.String);
    }

    [Fact]
    public async Task Per_address_rate_limit_answers_429_with_retry_after()
    {
        var org = await api.NewOrganization();
        var client = api.Anonymous();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 21; i++)
        {
            last = await client.Post("/auth/login", new LoginRequest(org.Slug, "user" + i, "whatever passphrase", null, null));
        }

        await Client.Problem(last, HttpStatusCode.TooManyRequests);
        Assert.True(last.Headers.RetryAfter is not null);

        // Another address is not affected.
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().Post("/auth/login", new LoginRequest(org.Slug, "x", "whatever passphrase", null, null))).StatusCode);
    }

    [Fact]
    public async Task Two_factor_is_required_after_enrolment_and_a_code_cannot_be_replayed()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        var enrollment = await bob.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        Assert.StartsWith("otpauth://totp/", enrollment.OtpAuthUri, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(enrollment.Secret));

        // Not yet confirmed: the password alone still works, and a wrong confirmation code is refused.
        await bob.Login(org.Slug, "bob", ApiFixture.Password);
        await Client.Problem(await bob.Post("/me/2fa/confirm", new TwoFactorCodeRequest("000000", null)), HttpStatusCode.BadRequest);

        var confirmCode = totp.ComputeTotp();
        var recovery = await bob.PostOk<RecoveryCodesResponse>("/me/2fa/confirm", new TwoFactorCodeRequest(confirmCode, null));
        Assert.Equal(10, recovery.RecoveryCodes.Distinct().Count());
        await Client.Problem(await bob.Post("/me/2fa/enroll"), HttpStatusCode.Conflict);

        var anonymous = api.Anonymous();
        var required = await Client.Problem(await anonymous.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, null)), HttpStatusCode.Unauthorized);
        Assert.Equal(SignInProblemCodes.SecondFactorRequired, required.GetProperty("code").GetString());

        // The code used to confirm was consumed: replaying it fails.
        var replay = await Client.Problem(
            await anonymous.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, confirmCode, null)), HttpStatusCode.Unauthorized);
        Assert.Equal(SignInProblemCodes.InvalidSecondFactor, replay.GetProperty("code").GetString());

        // A recovery code works once.
        var viaRecovery = await anonymous.Login(org.Slug, "bob", ApiFixture.Password, recovery: recovery.RecoveryCodes[3]);
        Assert.Equal(9, viaRecovery.Operator.RecoveryCodesLeft);
        await Client.Problem(
            await anonymous.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, recovery.RecoveryCodes[3])), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_rotates_and_a_reused_refresh_token_revokes_the_session()
    {
        var org = await api.NewOrganization();
        var anonymous = api.Anonymous();
        var first = await anonymous.Login(org.Slug, "owner", ApiFixture.Password);

        var second = await anonymous.PostOk<TokenResponse>("/auth/refresh", new RefreshRequest(first.RefreshToken));
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.As(second.AccessToken).Get("/me")).StatusCode);

        // The old one comes back (stolen copy): refused, and the legitimate holder's newer token dies too.
        await Client.Problem(await anonymous.Post("/auth/refresh", new RefreshRequest(first.RefreshToken)), HttpStatusCode.Unauthorized);
        await Client.Problem(await anonymous.Post("/auth/refresh", new RefreshRequest(second.RefreshToken)), HttpStatusCode.Unauthorized);
        await Client.Problem(await anonymous.Post("/auth/refresh", new RefreshRequest("garbage")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token()
    {
        var org = await api.NewOrganization();
        var anonymous = api.Anonymous();
        var tokens = await anonymous.Login(org.Slug, "owner", ApiFixture.Password);
        // A wrong secret for the same session revokes nothing.
        var parts = tokens.RefreshToken.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.Post("/auth/logout", new LogoutRequest(forged))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.Post("/auth/refresh", new RefreshRequest(tokens.RefreshToken))).StatusCode);

        var current = await anonymous.Login(org.Slug, "owner", ApiFixture.Password);
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.Post("/auth/logout", new LogoutRequest(current.RefreshToken))).StatusCode);
        await Client.Problem(await anonymous.Post("/auth/refresh", new RefreshRequest(current.RefreshToken)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_forged_or_foreign_token_is_refused()
    {
        var org = await api.NewOrganization();
        var token = org.Owner.Token!;
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);
        await Client.Problem(await org.Owner.As(forged).Get("/me"), HttpStatusCode.Unauthorized);

        // Same claims signed under another deployment's master key.
        await using var other = await ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), ApiHost.NewMasterKey(), new LogCapture());
        await Client.Problem(await new Client(other, token).Get("/me"), HttpStatusCode.Unauthorized);
    }

    private static async Task<string> Body(HttpResponseMessage response)
    {
        var problem = await Client.Problem(response, HttpStatusCode.Unauthorized);
        // The trace id differs per request; everything else must be identical.
        return string.Join("|", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
    }
}
