using Control.Domain.Common;

namespace Control.Domain.Organizations;

/// <summary>An organization (license holder, tenant) came into being. Its slug is its namespace: aliases are <c>name@slug</c>.</summary>
public sealed record OrganizationCreated(Guid OrganizationId, string Slug, string Name, Actor By, DateTimeOffset At);

/// <summary>The organization's license key, kept only as its hash; the key itself was shown once (see SecretRevealed).</summary>
public sealed record LicenseKeyIssued(Guid OrganizationId, string KeyHash, Actor By, DateTimeOffset At);

/// <summary>A new license key replaced the old one, which no longer enrols anything.</summary>
public sealed record LicenseKeyReset(Guid OrganizationId, string KeyHash, Actor By, DateTimeOffset At);

/// <summary>The organization's ECDSA P-256 policy-signing key; the private half is encrypted at rest (Data Protection).</summary>
public sealed record PolicySigningKeyCreated(Guid OrganizationId, string KeyId, string PublicKey, string ProtectedPrivateKey, DateTimeOffset At);

/// <summary>The settings every client enrolled from now on with the license key starts with.</summary>
public sealed record OrganizationClientDefaultsSet(Guid OrganizationId, Clients.ClientPreset Defaults, Actor By, DateTimeOffset At);

/// <summary>An ACL entry that every client of the organization admits, on top of its own entries (organization-wide ACL).</summary>
public sealed record OrganizationAclEntryAdded(Guid OrganizationId, string Entry, Actor By, DateTimeOffset At);

public sealed record OrganizationAclEntryRemoved(Guid OrganizationId, string Entry, Actor By, DateTimeOffset At);

/// <summary>
/// The organization's viewer CA (ECDSA P-256, self-signed): it signs operators' short-lived viewer certificates and every
/// client's policy carries it. The private half is encrypted at rest (Data Protection).
/// </summary>
/// <param name="Certificate">The CA certificate, base64 DER.</param>
public sealed record ViewerCaCreated(Guid OrganizationId, string Certificate, string ProtectedPrivateKey, DateTimeOffset At);

/// <summary>A viewer certificate that no agent may accept any more, listed until it would have expired anyway.</summary>
/// <param name="Serial">Uppercase hex, as <c>X509Certificate2.SerialNumber</c> prints it.</param>
public sealed record RevokedViewerCertificate(string Serial, DateTimeOffset NotAfter);

/// <summary>An operator's unexpired viewer certificates were revoked (the operator was disabled, or lost their password or second factor).</summary>
public sealed record ViewerCertificatesRevoked(
    Guid OrganizationId, Guid OperatorId, IReadOnlyList<RevokedViewerCertificate> Certificates, Actor By, DateTimeOffset At);

/// <summary>The organization's session settings: every session must carry a justification or not; shell sessions are recorded or not.</summary>
public sealed record OrganizationSessionSettingsChanged(Guid OrganizationId, bool RequireJustification, bool RecordShellSessions, Actor By, DateTimeOffset At);
