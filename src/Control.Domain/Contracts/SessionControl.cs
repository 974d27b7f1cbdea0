namespace Control.Domain.Contracts;

// Wire types of live revocation (ending sessions, revoking remember-tokens) and of the organization's session settings.

/// <summary>Body of <c>POST /sessions/{id}/kill</c>.</summary>
public sealed record KillSessionRequest(string? Reason) : IReasonedRequest;

/// <param name="ClientVersion">The client stream's version after the change (the session was ended on its client's stream).</param>
/// <param name="Changed">False when an operator had already ended it (a repeat is a no-op).</param>
public sealed record KillSessionResponse(Guid SessionId, Guid ClientId, long ClientVersion, bool Changed);

/// <summary>A remember-token an agent issued and that is still valid (current epoch, not revoked). The token itself never leaves the viewer.</summary>
/// <param name="IssuedInSession">The session whose password login earned it.</param>
/// <param name="LastUsedAt">When a session was last admitted with it, if ever.</param>
public sealed record RememberTokenView(
    string TokenId, Guid ClientId, string ViewerAlias, string? Device, long Epoch, DateTimeOffset IssuedAt, Guid IssuedInSession, DateTimeOffset? LastUsedAt);

/// <summary>Body of <c>POST /clients/{client}/tokens/{tokenId}/revoke</c>.</summary>
public sealed record RevokeRememberTokenRequest(string? Reason, long? ExpectedVersion = null) : IReasonedRequest, IVersionedRequest;

/// <summary>What <c>GET /organization/session-settings</c> returns.</summary>
/// <param name="Version">The organization stream's version (for <c>expectedVersion</c>).</param>
public sealed record SessionSettingsView(bool RequireJustification, bool RecordShellSessions, long Version);

/// <summary>Body of <c>PUT /organization/session-settings</c>: a setting left out keeps its value.</summary>
public sealed record ChangeSessionSettingsRequest(bool? RequireJustification, bool? RecordShellSessions, string? Reason, long? ExpectedVersion = null) : IReasonedRequest, IVersionedRequest;

public sealed record SessionSettingsChangeResponse(SessionSettingsView Settings, bool Changed);
