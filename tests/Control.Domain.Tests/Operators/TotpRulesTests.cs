using System.Text;
using Control.Domain.Operators;
using OtpNet;

namespace Control.Domain.Tests.Operators;

public class TotpRulesTests
{
    // RFC 6238 Appendix B: the seeds are the ASCII strings below, 8-digit codes, 30 s steps.
    private static readonly byte[] Sha1Seed = Encoding.ASCII.GetBytes("12345678901234567890");
    private static readonly byte[] Sha256Seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");
    private static readonly byte[] Sha512Seed = Encoding.ASCII.GetBytes("1234567890123456789012345678901234567890123456789012345678901234");

    [Theory]
    [InlineData(59L, "94287082", "46119246", "90693936")]
    [InlineData(1111111109L, "07081804", "68084774", "25091201")]
    [InlineData(1111111111L, "14050471", "67062674", "99943326")]
    [InlineData(1234567890L, "89005924", "91819424", "93441116")]
    [InlineData(2000000000L, "69279037", "90698825", "38618901")]
    [InlineData(20000000000L, "65353130", "77737706", "47863826")]
    public void Rfc6238_test_vectors_match_the_otp_library(long unixSeconds, string sha1, string sha256, string sha512)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        Assert.Equal(sha1, new Totp(Sha1Seed, 30, OtpHashMode.Sha1, 8).ComputeTotp(at));
        Assert.Equal(sha256, new Totp(Sha256Seed, 30, OtpHashMode.Sha256, 8).ComputeTotp(at));
        Assert.Equal(sha512, new Totp(Sha512Seed, 30, OtpHashMode.Sha512, 8).ComputeTotp(at));
    }

    [Fact]
    public void Rfc6238_sha1_vector_is_accepted_with_its_six_digit_truncation()
    {
        // Six digits are the last six of the eight-digit value (same HOTP truncation, modulo 10^6).
        var now = DateTimeOffset.FromUnixTimeSeconds(1111111109L);
        Assert.True(TotpRules.TryAccept(Sha1Seed, "081804", now, lastAcceptedStep: 0, out var step));
        Assert.Equal(1111111109L / 30, step);
    }

    [Fact]
    public void Code_is_accepted_once_per_time_step()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890L);
        var code = new Totp(Sha1Seed).ComputeTotp(now.UtcDateTime);

        Assert.True(TotpRules.TryAccept(Sha1Seed, code, now, 0, out var step));
        Assert.False(TotpRules.TryAccept(Sha1Seed, code, now, step, out _));
        Assert.False(TotpRules.TryAccept(Sha1Seed, code, now.AddSeconds(5), step, out _));
    }

    [Theory]
    [InlineData(-30, true)]
    [InlineData(30, true)]
    [InlineData(-60, false)]
    [InlineData(90, false)]
    public void One_step_of_clock_drift_is_tolerated_and_no_more(int driftSeconds, bool accepted)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890L);
        var code = new Totp(Sha1Seed).ComputeTotp(now.AddSeconds(driftSeconds).UtcDateTime);
        Assert.Equal(accepted, TotpRules.TryAccept(Sha1Seed, code, now, 0, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("12a456")]
    public void Malformed_codes_are_refused(string? code)
    {
        Assert.False(TotpRules.TryAccept(Sha1Seed, code, DateTimeOffset.FromUnixTimeSeconds(59), 0, out _));
    }

    [Fact]
    public void Provisioning_uri_names_account_issuer_and_parameters()
    {
        var uri = TotpRules.ProvisioningUri(Sha1Seed, "alice@acme", "Control");
        Assert.StartsWith("otpauth://totp/", uri, StringComparison.Ordinal);
        Assert.Contains("secret=" + Base32Encoding.ToString(Sha1Seed).TrimEnd('='), uri, StringComparison.Ordinal);
        Assert.Contains("issuer=Control", uri, StringComparison.Ordinal);
        Assert.Contains("digits=6", uri, StringComparison.Ordinal);
    }
}
