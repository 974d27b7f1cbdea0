using Control.Domain.Common;

namespace Control.Domain.Operators;

// Event names and shapes are a permanent contract: never rename or remove one; add a new event instead.
// Fields ending in Hash/Hashes or starting with Protected hold secret material and are redacted in audit output.

/// <summary>An operator account created with a password (the first owner at setup, or an organization's founding owner).</summary>
public sealed record OperatorRegistered(
    Guid OperatorId, Guid OrganizationId, string OrganizationSlug, string Username, OperatorRole Role, string PasswordHash,
    Actor By, DateTimeOffset At);

/// <summary>An operator account was created by an admin; the invitee activates it with a one-time code.</summary>
public sealed record OperatorInvited(
    Guid OperatorId, Guid OrganizationId, string OrganizationSlug, string Username, OperatorRole Role,
    string ActivationCodeHash, DateTimeOffset ActivationExpiresAt, Actor By, DateTimeOffset At);

/// <summary>The operator set a password with a valid activation code (after an invitation or a password reset).</summary>
public sealed record OperatorActivated(Guid OperatorId, string PasswordHash, Actor By, DateTimeOffset At);

/// <summary>The operator changed their own password, proving the current one.</summary>
public sealed record OperatorPasswordChanged(Guid OperatorId, string PasswordHash, Actor By, DateTimeOffset At);

/// <summary>An admin reset the operator's password: the old one is void, every token dies, a one-time code sets a new one.</summary>
public sealed record OperatorPasswordReset(
    Guid OperatorId, string ActivationCodeHash, DateTimeOffset ActivationExpiresAt, Actor By, DateTimeOffset At);

public sealed record OperatorDisabled(Guid OperatorId, Actor By, DateTimeOffset At);

public sealed record OperatorEnabled(Guid OperatorId, Actor By, DateTimeOffset At);

/// <summary>
/// The operator ended every session of theirs at once (portal sessions, access and refresh tokens, viewer certificates):
/// a lost laptop, a shared computer left signed in. Only the security stamp changes; the password stays.
/// </summary>
public sealed record OperatorSignedOutEverywhere(Guid OperatorId, Actor By, DateTimeOffset At);

/// <summary>A TOTP secret was generated and shown to the operator once; it is not required until confirmed.</summary>
public sealed record TwoFactorEnrollmentStarted(Guid OperatorId, string ProtectedSecret, Actor By, DateTimeOffset At);

/// <summary>The operator proved the authenticator works; from now on every sign-in needs a second factor.</summary>
public sealed record TwoFactorEnrolled(Guid OperatorId, long AcceptedStep, IReadOnlyList<string> RecoveryCodeHashes, Actor By, DateTimeOffset At);

public sealed record RecoveryCodesRegenerated(Guid OperatorId, long AcceptedStep, IReadOnlyList<string> RecoveryCodeHashes, Actor By, DateTimeOffset At);

/// <summary>An admin removed the operator's second factor (lost device): every token dies, enrolment starts over.</summary>
public sealed record TwoFactorReset(Guid OperatorId, Actor By, DateTimeOffset At);

public enum SecondFactor
{
    None,
    Totp,
    RecoveryCode,
}

public sealed record OperatorSignedIn(
    Guid OperatorId, string Source, SecondFactor SecondFactor, long? AcceptedStep, int? RecoveryCodeIndex, DateTimeOffset At);

public enum SignInFailureCause
{
    Password,
    SecondFactor,
}

/// <summary>
/// A failed proof of the operator's credential (a sign-in, or a code given to a signed-in endpoint) from <see cref="Source"/>.
/// <see cref="ConsecutiveFailures"/> counts the account's failures from every address since its last success;
/// <see cref="LockedUntil"/> is set when this address is not heard again before then (its own lock or the account's hold, see
/// <see cref="Lockout"/>).
/// </summary>
public sealed record OperatorSignInFailed(
    Guid OperatorId, string Source, SignInFailureCause Cause, int ConsecutiveFailures, DateTimeOffset? LockedUntil, DateTimeOffset At);

/// <summary>
/// The operator received a short-lived viewer certificate (signed by the organization's viewer CA) for a key they hold.
/// </summary>
/// <param name="Serial">Uppercase hex, as <c>X509Certificate2.SerialNumber</c> prints it.</param>
/// <param name="Alias">The viewer identity the certificate names, <c>username@namespace</c>.</param>
/// <param name="PublicKeyFingerprint">SHA-256 (lowercase hex) of the certified SubjectPublicKeyInfo.</param>
public sealed record ViewerCertificateIssued(
    Guid OperatorId, string Serial, string Alias, string PublicKeyFingerprint, DateTimeOffset NotAfter, Actor By, DateTimeOffset At);
