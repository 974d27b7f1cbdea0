namespace Control.Api.Features.Clients;

/// <summary>The Data Protection purpose that binds a client's stored TOTP seed to that client.</summary>
public static class ClientTwoFactorSecrets
{
    public static string Purpose(Guid clientId) => $"client-totp/{clientId:N}";
}
