using Control.Domain.Common;
using Control.Domain.Security;

namespace Control.Domain.Clients;

// Event names and shapes are a permanent contract: never rename or remove one; add a new event instead.

public sealed record SessionPermissions(bool Exec, bool Shell, bool FileTransfer)
{
    public static SessionPermissions All { get; } = new(true, true, true);
}

/// <summary>A machine enrolled with a license key or a custom-client token and its own P-256 key.</summary>
public sealed record ClientEnrolled(
    Guid ClientId, Guid OrganizationId, string OrganizationSlug, long Number, string PublicKey, string KeyFingerprint, string CredentialHash,
    string? Alias, Guid? CustomClientId, string? Hostname, Actor By, DateTimeOffset At);

public sealed record ClientTagsSet(Guid ClientId, IReadOnlyList<string> Tags, Actor By, DateTimeOffset At);

/// <summary>Removed from the organization (Clients tab / address book): its credential is revoked and it accepts no sessions.</summary>
public sealed record ClientRemoved(Guid ClientId, Actor By, DateTimeOffset At);

/// <summary>The license was taken off the client: it becomes a free client, its namespaced alias is released.</summary>
public sealed record ClientLicenseRemoved(Guid ClientId, string? ReleasedAlias, Actor By, DateTimeOffset At);

public sealed record AclEnabled(Guid ClientId, Actor By, DateTimeOffset At);

public sealed record AclDisabled(Guid ClientId, Actor By, DateTimeOffset At);

public sealed record AclEntryAdded(Guid ClientId, string Entry, Actor By, DateTimeOffset At);

public sealed record AclEntryRemoved(Guid ClientId, string Entry, Actor By, DateTimeOffset At);

public sealed record UnattendedAccessEnabled(Guid ClientId, Actor By, DateTimeOffset At);

public sealed record UnattendedAccessDisabled(Guid ClientId, Actor By, DateTimeOffset At);

/// <summary>Exclusive unattended access: the unattended password is the only way in (no attended acceptance).</summary>
public sealed record ExclusiveUnattendedAccessSet(Guid ClientId, bool Exclusive, Actor By, DateTimeOffset At);

/// <summary>A new unattended password, kept only as its SCRAM-SHA-256 verifier. Generated = shown once by the server.</summary>
public sealed record UnattendedPasswordSet(Guid ClientId, ScramVerifier Verifier, bool Generated, Actor By, DateTimeOffset At);

/// <summary>"Clear all tokens": every remember-token issued under an older epoch is dead.</summary>
public sealed record TokensCleared(Guid ClientId, long Epoch, Actor By, DateTimeOffset At);

public sealed record ClientTwoFactorEnrollmentStarted(Guid ClientId, string ProtectedSecret, Actor By, DateTimeOffset At);

public sealed record ClientTwoFactorEnabled(Guid ClientId, Actor By, DateTimeOffset At);

public sealed record ClientTwoFactorDisabled(Guid ClientId, Actor By, DateTimeOffset At);

public sealed record SessionPermissionsSet(Guid ClientId, SessionPermissions Permissions, Actor By, DateTimeOffset At);

/// <summary>The local accounts a session on this client may run as, the default first (see Sessions.SessionLogins).</summary>
public sealed record SessionLoginsSet(Guid ClientId, IReadOnlyList<string> Logins, Actor By, DateTimeOffset At);

/// <summary>An operator ended a live session on this client (reason and correlation in the audit metadata); the policy lists its id until the agent has ended it.</summary>
public sealed record ClientSessionTerminated(Guid ClientId, Guid SessionId, Actor By, DateTimeOffset At);

/// <summary>One remember-token of the current epoch is void from now on (the others stay valid; "clear all tokens" voids them all).</summary>
public sealed record RememberTokenRevoked(Guid ClientId, string TokenId, Actor By, DateTimeOffset At);
