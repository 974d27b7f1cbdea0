namespace Control.Domain.Contracts;

/// <param name="Online">Seen by the API within the last three minutes (the API's rule: <c>ClientPresence.OnlineWindow</c>).</param>
public sealed record ClientSummary(
    Guid Id, string Number, string? Alias, string? Hostname, string Status, bool Licensed, IReadOnlyList<string> Tags,
    long LatestPolicyVersion, long? EnforcedPolicyVersion, DateTimeOffset? LastSeenAt, long Version, bool Online = false);

public sealed record ClientDetail(
    ClientSummary Summary, string KeyFingerprint, DateTimeOffset EnrolledAt, bool AclEnabled, IReadOnlyList<string> AclEntries,
    bool UnattendedEnabled, bool UnattendedExclusive, bool UnattendedPasswordSet, long TokenEpoch, bool TwoFactorEnabled,
    PolicyPermissions Permissions);

/// <summary>
/// What the CLI sends for every change to a client's settings (<c>POST /clients/{client}/{action}</c>, see
/// <see cref="ClientActions"/>), and the body of bulk changes (<c>POST /clients/bulk/{action}</c> with <see cref="Tag"/> selecting
/// the clients). Each action reads the fields it needs.
/// </summary>
public sealed record ClientChangeRequest(
    string? Reason,
    long? ExpectedVersion = null,
    string? Entry = null,
    bool? AllowEveryone = null,
    bool? Exclusive = null,
    string? Password = null,
    IReadOnlyList<string>? Tags = null,
    bool? Exec = null,
    bool? Shell = null,
    bool? FileTransfer = null,
    string? Code = null,
    string? Tag = null,
    IReadOnlyList<string>? Logins = null,
    bool? AllowRoot = null) : IReasonedRequest, IVersionedRequest;

/// <param name="RevealedPassword">A server-generated unattended password, shown only now.</param>
public sealed record ClientChangeResponse(Guid ClientId, string Number, long Version, bool Changed, string? RevealedPassword = null);

public sealed record BulkChangeResponse(string CorrelationId, IReadOnlyList<ClientChangeResponse> Clients);

/// <param name="QrCodePng">The otpauth:// URI as a QR code, a <c>data:image/png;base64,</c> URI (for the portal).</param>
public sealed record ClientTwoFactorEnrollmentResponse(string Secret, string OtpAuthUri, string? QrCodePng = null);

public sealed record LicenseKeyResponse(string LicenseKey);

public sealed record ReasonRequest(string? Reason) : IReasonedRequest;

/// <summary>
/// What <c>GET /organization/acl</c> and <c>POST /organization/acl/add|remove</c> return: the organization-wide entries,
/// which every client with its ACL on admits besides its own.
/// </summary>
/// <param name="Version">The organization stream's version (for <c>expectedVersion</c>).</param>
/// <param name="Changed">False for a read, and for a change that was already so.</param>
public sealed record OrganizationAclView(IReadOnlyList<string> Entries, long Version, bool Changed = false);
