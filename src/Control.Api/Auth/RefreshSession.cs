namespace Control.Api.Auth;

/// <summary>
/// A refresh token's server side: only the SHA-256 of its secret. Each use rotates the secret; presenting an
/// already-rotated secret means the token was copied, so the whole session is revoked.
/// </summary>
public sealed class RefreshSession
{
    public Guid Id { get; set; }
    public Guid OperatorId { get; set; }
    public string SecretHash { get; set; } = "";
    public string? PreviousSecretHash { get; set; }
    public int SecurityStamp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBecause { get; set; }
}
