using Control.Domain.Security;

namespace Control.Domain.Clients;

public abstract record ClientCommand;

/// <param name="AliasSuffix">Appended to the requested name by a custom client's configuration (e.g. "-support").</param>
public sealed record EnrollClient(
    Guid ClientId, Guid OrganizationId, string OrganizationSlug, long Number, string PublicKey, string CredentialHash,
    string? AliasName, string? AliasSuffix, Guid? CustomClientId, string? Hostname);

public sealed record EnableAcl : ClientCommand;

public sealed record DisableAcl : ClientCommand;

/// <param name="AllowEveryone">The explicit confirmation needed to add "*".</param>
public sealed record AddAclEntry(string Entry, bool AllowEveryone) : ClientCommand;

public sealed record RemoveAclEntry(string Entry) : ClientCommand;

public sealed record EnableUnattendedAccess : ClientCommand;

public sealed record DisableUnattendedAccess : ClientCommand;

public sealed record SetExclusiveUnattendedAccess(bool Exclusive) : ClientCommand;

public sealed record SetUnattendedPassword(ScramVerifier Verifier, bool Generated) : ClientCommand;

public sealed record ClearTokens : ClientCommand;

public sealed record StartClientTwoFactor(string ProtectedSecret) : ClientCommand;

/// <summary>Confirm with a code computed from the decrypted pending seed.</summary>
public sealed record ConfirmClientTwoFactor(byte[] PendingSecret, string Code) : ClientCommand;

public sealed record DisableClientTwoFactor : ClientCommand;

public sealed record SetSessionPermissions(SessionPermissions Permissions) : ClientCommand;

/// <param name="AllowRoot">Naming root lets a session reach everything on the machine, the agent's own state included: it must be confirmed.</param>
public sealed record SetSessionLogins(IReadOnlyList<string> Logins, bool AllowRoot) : ClientCommand;

public sealed record SetClientTags(IReadOnlyList<string> Tags) : ClientCommand;

public sealed record RemoveClient : ClientCommand;

public sealed record RemoveClientLicense : ClientCommand;

/// <summary>End a live session now (whether it is live is the caller's read of the session history).</summary>
public sealed record TerminateSession(Guid SessionId) : ClientCommand;

/// <summary>Void one remember-token.</summary>
/// <param name="IssuedUnderEpoch">The epoch the agent reported issuing it under, or null when no agent of this client ever reported it.</param>
public sealed record RevokeRememberToken(string TokenId, long? IssuedUnderEpoch) : ClientCommand;
