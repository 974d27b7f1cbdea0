namespace Control.Domain.Contracts;

// Wire types of the HTTP API, shared by the API and the CLI. Events never double as these.

public sealed record SetupRequest(string? BootstrapToken, string? Slug, string? Name, string? OwnerUsername, string? OwnerPassword);

/// <param name="LicenseKey">The organization's license key, shown only now (enrols agents; `control license reset` replaces it).</param>
public sealed record SetupResponse(Guid OrganizationId, string Slug, Guid OwnerId, string OwnerUsername, string LicenseKey);

public sealed record CreateOrganizationRequest(string? Slug, string? Name, string? OwnerUsername, string? OwnerPassword, string? Reason);

public sealed record LoginRequest(string? Organization, string? Username, string? Password, string? TotpCode, string? RecoveryCode);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record LogoutRequest(string? RefreshToken);

public sealed record ActivateRequest(string? Organization, string? Username, string? ActivationCode, string? NewPassword);

/// <summary>Body of <c>POST /me/sign-out-everywhere</c>; the reason is optional.</summary>
public sealed record SignOutEverywhereRequest(string? Reason) : IReasonedRequest;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, string? Reason) : IReasonedRequest;

public sealed record TokenResponse(
    string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt, WhoAmIResponse Operator);

public sealed record WhoAmIResponse(Guid Id, string Username, string Organization, string Role, bool TwoFactorEnabled, int RecoveryCodesLeft);

/// <param name="QrCodePng">The otpauth:// URI as a QR code, a <c>data:image/png;base64,</c> URI (for the portal: the secret never goes into a URL it fetches).</param>
public sealed record TwoFactorEnrollmentResponse(string Secret, string OtpAuthUri, string? QrCodePng = null);

/// <summary>
/// The portal's session: who is signed in, the session's anti-forgery token (to send in X-CSRF-Token; null for a bearer
/// caller, which needs none), and the operator policies the caller passes, so the portal shows only what the role may do.
/// </summary>
/// <param name="GrantableRoles">The roles this operator may invite (none without the manage-operators policy).</param>
public sealed record PortalSessionResponse(
    WhoAmIResponse Operator, string? CsrfToken, IReadOnlyList<string> Permissions, int IdleTimeoutSeconds, IReadOnlyList<string> GrantableRoles);

public sealed record TwoFactorCodeRequest(string? Code, string? Reason) : IReasonedRequest;

public sealed record RecoveryCodesResponse(IReadOnlyList<string> RecoveryCodes);

/// <summary>Problem-details extension codes for sign-in, so a client can tell "ask for the TOTP code" from "wrong".</summary>
public static class SignInProblemCodes
{
    public const string InvalidCredentials = "sign_in.invalid_credentials";
    public const string SecondFactorRequired = "sign_in.second_factor_required";
    public const string InvalidSecondFactor = "sign_in.invalid_second_factor";
}
