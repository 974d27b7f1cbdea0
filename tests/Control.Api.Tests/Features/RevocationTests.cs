using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>Disable, password reset and 2FA reset kill every token of the operator on the very next request.</summary>
[Collection("api")]
public class RevocationTests(ApiFixture api)
{
    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("reset-2fa")]
    public async Task Admin_action_kills_access_and_refresh_tokens_at_once(string action)
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");
        var tokens = await bob.Login(org.Slug, "bob", ApiFixture.Password);
        bob.Token = tokens.AccessToken;
        if (action == "reset-2fa")
        {
            await EnrolTwoFactor(bob);
        }

        Assert.Equal(HttpStatusCode.OK, (await bob.Get("/me")).StatusCode);

        var done = await org.Owner.Post($"/operators/{bobId}/{action}", new OperatorActionRequest("left the company", null));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);

        await Client.Problem(await bob.Get("/me"), HttpStatusCode.Unauthorized);
        await Client.Problem(await api.Anonymous().Post("/auth/refresh", new RefreshRequest(tokens.RefreshToken)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revocation_reaches_a_second_api_process_on_the_same_database()
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");
        await using var second = await ApiHost.Start(api.Database.ConnectionString, ApiHost.NewTempDirectory(), api.MasterKey, new LogCapture());
        var bobOnSecond = new Client(second, bob.Token);
        Assert.Equal(HttpStatusCode.OK, (await bobOnSecond.Get("/me")).StatusCode);

        var disabled = await org.Owner.Post($"/operators/{bobId}/disable", new OperatorActionRequest("offboarding", null));
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        await Client.Problem(await bobOnSecond.Get("/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Enabled_again_the_operator_signs_in_anew_but_old_tokens_stay_dead()
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");
        var old = bob.Token;
        await org.Owner.PostOk<OperatorActionResponse>($"/operators/{bobId}/disable", new OperatorActionRequest("suspended", null));
        await org.Owner.PostOk<OperatorActionResponse>($"/operators/{bobId}/enable", new OperatorActionRequest("back", null));

        await Client.Problem(await bob.As(old).Get("/me"), HttpStatusCode.Unauthorized);
        var fresh = await bob.Login(org.Slug, "bob", ApiFixture.Password);
        Assert.Equal(HttpStatusCode.OK, (await bob.As(fresh.AccessToken).Get("/me")).StatusCode);
    }

    [Fact]
    public async Task Password_change_kills_the_sessions_and_the_new_password_works()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        var changed = await bob.Post("/me/password", new ChangePasswordRequest(ApiFixture.Password, "an entirely different passphrase", null));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        await Client.Problem(await bob.Get("/me"), HttpStatusCode.Unauthorized);
        await Client.Problem(await bob.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, null)), HttpStatusCode.Unauthorized);
        await bob.Login(org.Slug, "bob", "an entirely different passphrase");
    }

    public static async Task<byte[]> EnrolTwoFactor(Client client)
    {
        var enrollment = await client.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        var secret = OtpNet.Base32Encoding.ToBytes(enrollment.Secret);
        var code = new OtpNet.Totp(secret).ComputeTotp();
        await client.PostOk<RecoveryCodesResponse>("/me/2fa/confirm", new TwoFactorCodeRequest(code, null));
        return secret;
    }
}
