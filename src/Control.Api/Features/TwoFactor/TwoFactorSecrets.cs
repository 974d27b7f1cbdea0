namespace Control.Api.Features.TwoFactor;

public static class TwoFactorSecrets
{
    /// <summary>Binds a TOTP seed's ciphertext to its operator: it cannot be copied onto another account's stream.</summary>
    public static string Purpose(Guid operatorId) => $"operator-totp/{operatorId:N}";
}
