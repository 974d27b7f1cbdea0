namespace Control.Api.Auth;

/// <summary>
/// A refresh token's server side, one rotation family: only the SHA-256 of its current secret and of every earlier one.
/// Each use rotates the secret; presenting any already-rotated secret means a token of the family was copied, so the whole
/// family is revoked (RFC 9700 §4.14.2), however many rotations back the copy was taken. The family ends when the session
/// does (<see cref="ExpiresAt"/> is never extended), which bounds the list.
/// </summary>
public sealed class RefreshSession
{
    public Guid Id { get; set; }
    public Guid OperatorId { get; set; }
    public string SecretHash { get; set; } = "";
    public List<string> EarlierSecretHashes { get; set; } = [];
    public int SecurityStamp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedBecause { get; set; }
}
