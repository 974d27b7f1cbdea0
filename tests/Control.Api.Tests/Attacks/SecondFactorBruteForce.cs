using System.Net;
using Control.Api.Tests.Features;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using OtpNet;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: someone holding an operator's stolen access token (or a portal session left open). Threat: the endpoints that
/// take a TOTP code from a signed-in operator (confirming an enrolment, regenerating recovery codes) are an oracle with no
/// limit: a million codes, three of them valid at any time, are tried until one passes, and regenerating the recovery codes
/// hands the attacker a second factor for good. They must be rate limited per source, as sign-in is, and count towards the
/// lockout.
/// </summary>
[Collection("api")]
public class SecondFactorBruteForce(ApiFixture api)
{
    [Fact]
    public async Task RecoveryCodes_AfterFiveWrongCodes_RefuseEvenTheRightCodeWith429()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        var secret = await RevocationTests.EnrolTwoFactor(bob);
        var totp = new Totp(secret);

        for (var i = 0; i < 5; i++)
        {
            await Client.Problem(await bob.Post("/me/2fa/recovery-codes", new TwoFactorCodeRequest(WrongCode(totp), null)), HttpStatusCode.BadRequest);
        }

        // The next time step: the enrolment consumed this one.
        var right = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30));
        var locked = await bob.Post("/me/2fa/recovery-codes", new TwoFactorCodeRequest(right, null));
        await Client.Problem(locked, HttpStatusCode.TooManyRequests);
        Assert.NotNull(locked.Headers.RetryAfter);
        var failures = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorSignInFailed");
        Assert.Equal(5, failures.Items.Count);
    }

    [Fact]
    public async Task ConfirmEnrolment_AfterFiveWrongCodes_RefusesEvenTheRightCodeWith429()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        var enrollment = await bob.PostOk<TwoFactorEnrollmentResponse>("/me/2fa/enroll");
        var totp = new Totp(Base32Encoding.ToBytes(enrollment.Secret));

        for (var i = 0; i < 5; i++)
        {
            await Client.Problem(await bob.Post("/me/2fa/confirm", new TwoFactorCodeRequest(WrongCode(totp), null)), HttpStatusCode.BadRequest);
        }

        await Client.Problem(await bob.Post("/me/2fa/confirm", new TwoFactorCodeRequest(totp.ComputeTotp(), null)), HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ConfirmEnrolment_HammeredFromOneSource_AnswersTooManyRequests()
    {
        var org = await api.NewOrganization();
        // No enrolment started: every answer is a 409 that counts towards no lockout, so only the rate limit can say 429.
        var (_, bob) = await org.Operator("bob", "technician");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            answers.Add((await bob.Post("/me/2fa/confirm", new TwoFactorCodeRequest("12345" + (i % 10), null))).StatusCode);
        }

        // The fixture allows 20 attempts a minute per source address.
        Assert.Equal(HttpStatusCode.Conflict, answers[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }

    private static string WrongCode(Totp totp)
    {
        var now = DateTime.UtcNow;
        var valid = new[] { totp.ComputeTotp(now.AddSeconds(-30)), totp.ComputeTotp(now), totp.ComputeTotp(now.AddSeconds(30)), totp.ComputeTotp(now.AddSeconds(60)) };
        for (var candidate = 100000; ; candidate++)
        {
            var code = candidate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!valid.Contains(code))
            {
                return code;
            }
        }
    }
}
