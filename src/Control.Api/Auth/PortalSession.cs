namespace Control.Api.Auth;

/// <summary>
/// A browser's sign-in to the portal, held server-side; the HttpOnly cookie carries only its id and a secret whose
/// SHA-256 is stored here. It ends on sign-out, after <c>PortalIdleTimeout</c> without a request, at
/// <see cref="ExpiresAt"/>, or when the operator's security stamp moves (disable, resets, sign-out everywhere).
/// </summary>
public sealed class PortalSession
{
    public Guid Id { get; set; }
    public Guid OperatorId { get; set; }
    public string SecretHash { get; set; } = "";
    public int SecurityStamp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The last request (written at most once a minute, see <see cref="PortalAuthentication"/>).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedBecause { get; set; }
    public string Source { get; set; } = "";
}
