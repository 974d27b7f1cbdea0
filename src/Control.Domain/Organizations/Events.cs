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
