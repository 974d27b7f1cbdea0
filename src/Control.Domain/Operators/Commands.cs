using Control.Domain.Common;

namespace Control.Domain.Operators;

// Commands carry everything the decider needs; secrets arrive already hashed or protected by the caller,
// so the decider stays pure (no clock, no randomness, no key material of its own).

public sealed record RegisterOperator(Guid OperatorId, Guid OrganizationId, string OrganizationSlug, string Username, OperatorRole Role, string PasswordHash);

public sealed record InviteOperator(
    Guid OperatorId, Guid OrganizationId, string OrganizationSlug, string Username, OperatorRole Role,
    string ActivationCodeHash, DateTimeOffset ActivationExpiresAt);

/// <summary>Set a password with an activation code. <see cref="NewPasswordHash"/> is the hash of the already policy-checked password.</summary>
public sealed record ActivateOperator(string ActivationCode, string NewPasswordHash);

public sealed record ChangePassword(bool CurrentPasswordMatches, string NewPasswordHash);

/// <param name="ActiveOwners">Active owner accounts of the organization now, the target included (counted under the owners' lock).</param>
public sealed record ResetPassword(string ActivationCodeHash, DateTimeOffset ActivationExpiresAt, int ActiveOwners);

/// <param name="ActiveOwners">Active owner accounts of the organization now, the target included (counted under the owners' lock).</param>
public sealed record DisableOperator(int ActiveOwners);

public sealed record EnableOperator;

/// <summary>
/// The authority an offboarding decides its account changes with: the role its starter had when they requested it (null
/// for an offboarding requested before the role was recorded: it changes no account) and the starter, who is never
/// allowed to change their own account through it.
/// </summary>
public sealed record OffboardingAuthority(OperatorRole? StarterRole, Actor Starter);

public sealed record SignOutEverywhere;

public sealed record StartTwoFactorEnrollment(string ProtectedSecret);

/// <summary>Confirm enrolment with a first code, computed against the decrypted pending secret.</summary>
/// <param name="Source">The caller's address: a wrong code counts towards its lockout as a failed sign-in does.</param>
public sealed record ConfirmTwoFactor(byte[] PendingSecret, string Code, IReadOnlyList<string> RecoveryCodeHashes, string Source);

/// <param name="Source">The caller's address: a wrong code counts towards its lockout as a failed sign-in does.</param>
public sealed record RegenerateRecoveryCodes(byte[] Secret, string Code, IReadOnlyList<string> RecoveryCodeHashes, string Source);

public sealed record ResetTwoFactor;

/// <param name="Secret">The decrypted TOTP secret when 2FA is on, else null.</param>
public sealed record SignIn(bool PasswordMatches, string? TotpCode, string? RecoveryCode, byte[]? Secret, string Source);

/// <summary>Record a viewer certificate the caller built and signed (the decider checks the account may have one).</summary>
/// <param name="SecurityStamp">The stamp of the token the request came with (see <see cref="Operator.SecurityStamp"/>).</param>
public sealed record IssueViewerCertificate(string Serial, string PublicKeyFingerprint, DateTimeOffset NotAfter, int SecurityStamp);

/// <summary>Revoke every unexpired viewer certificate of the operator (on disable, password reset, 2FA reset).</summary>
public sealed record RevokeViewerCertificates;
