namespace Control.Api.Features.Clients;

/// <summary>What the API knows of an agent's liveness: when it last asked for its policy, and which version it enforces (signed receipt).</summary>
public sealed class ClientPresence
{
    public Guid Id { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public string? LastSeenFrom { get; set; }
    public long? EnforcedVersion { get; set; }
    public DateTimeOffset? EnforcedAt { get; set; }

    /// <summary>The receipt's signature (base64, P-256 over <c>PolicySignature.AcknowledgementText</c>) with the client's enrolment key.</summary>
    public string? EnforcedSignature { get; set; }
}

public static class ClientTwoFactorSecrets
{
    public static string Purpose(Guid clientId) => $"client-totp/{clientId:N}";
}
