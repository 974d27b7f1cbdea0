using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using OtpNet;

namespace Control.Api.Tests.Features;

/// <summary>Runs the flows that handle secrets with every log level on, then greps everything logged for them.</summary>
[Collection("api")]
public class LogSecretTests(ApiFixture api)
{
    [Fact]
    public async Task No_password_token_code_or_totp_secret_appears_in_any_log_line()
    {
        var org = await api.NewOrganization();
        var secrets = new List<string> { ApiFixture.Password };
        var invited = await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("frank", "technician", "hire"));
        secrets.Add(invited.ActivationCode);
        const string franksPassword = "an unusual passphrase of his";
        secrets.Add(franksPassword);
        var anonymous = api.Anonymous();
        var activated = await anonymous.Post("/auth/activate", new ActivateRequest(org.Slug, "frank", invited.ActivationCode, franksPassword));
        Assert.Equal(HttpStatusCode.NoContent, activated.StatusCode);
        await anonymous.Post("/auth/login", new LoginRequest(org.Slug, "frank", "a wrong guess of a passphrase", null, null));
        secrets.Add("a wrong guess of a passphrase");
        var tokens = await anonymous.Login(org.Slug, "frank", franksPassword);
        secrets.Add(tokens.AccessToken);
        secrets.Add(tokens.RefreshToken);
        var frank = anonymous.As(tokens.AccessToken);
        var enrollment = await frank.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        secrets.Add(enrollment.Secret);
        var code = new Totp(Base32Encoding.ToBytes(enrollment.Secret)).ComputeTotp();
        var recovery = await frank.PostOk<RecoveryCodesResponse>("/me/2fa/confirm", new TwoFactorCodeRequest(code, null));
        secrets.AddRange(recovery.RecoveryCodes);
        await anonymous.Login(org.Slug, "frank", franksPassword, recovery: recovery.RecoveryCodes[0]);
        var reset = await org.Owner.PostOk<PasswordResetResponse>($"/operators/{invited.Id}/reset-password", new OperatorActionRequest("reset", null));
        secrets.Add(reset.ActivationCode);
        await anonymous.Post("/auth/refresh", new RefreshRequest(tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.Unauthorized, (await frank.Get("/me")).StatusCode);

        var lines = api.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in secrets)
        {
            var leaks = lines.Where(l => l.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"a secret appeared in the logs: {leaks.FirstOrDefault()?[..Math.Min(200, leaks[0].Length)]}");
        }
    }
}
