using OtpNet;

namespace Control.Domain.Operators;

/// <summary>
/// TOTP as authenticator apps expect it (RFC 6238: HMAC-SHA1, 6 digits, 30 s steps), accepting one step of clock
/// drift either way. A code is accepted only for a time step later than the last one accepted, so a code seen once
/// (shoulder-surfed, phished, replayed) can never be used again.
/// </summary>
public static class TotpRules
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int SecretBytes = 20;

    public static bool TryAccept(byte[] secret, string? code, DateTimeOffset now, long lastAcceptedStep, out long acceptedStep)
    {
        acceptedStep = 0;
        if (code is null)
        {
            return false;
        }

        code = code.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (code.Length != Digits || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        if (!totp.VerifyTotp(now.UtcDateTime, code, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return false;
        }

        if (step <= lastAcceptedStep)
        {
            return false;
        }

        acceptedStep = step;
        return true;
    }

    public static string ProvisioningUri(byte[] secret, string account, string issuer) =>
        new OtpUri(OtpType.Totp, Base32Encoding.ToString(secret), account, issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();

    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret);
}
