using Control.Domain.Common;

namespace Control.Domain.Operators;

/// <summary>Pure decisions about operator accounts: given the current state and a command, the events or a refusal.</summary>
public static partial class OperatorDecider
{
    public static Decision Decide(RegisterOperator c, bool usernameTaken, Actor actor, DateTimeOffset now)
    {
        if (usernameTaken)
        {
            return UsernameTaken(c.Username);
        }

        return Decision.Accept(new OperatorRegistered(c.OperatorId, c.OrganizationId, c.OrganizationSlug, c.Username, c.Role, c.PasswordHash, actor, now));
    }

    public static Decision Decide(InviteOperator c, bool usernameTaken, OperatorRole actorRole, Actor actor, DateTimeOffset now)
    {
        if (!actorRole.CanManage(c.Role))
        {
            return Decision.Refuse(RefusalKind.Forbidden, "operator.role_not_grantable", "Only owners can invite owners.");
        }

        if (usernameTaken)
        {
            return UsernameTaken(c.Username);
        }

        return Decision.Accept(new OperatorInvited(
            c.OperatorId, c.OrganizationId, c.OrganizationSlug, c.Username, c.Role, c.ActivationCodeHash, c.ActivationExpiresAt, actor, now));
    }

    public static Decision Decide(ActivateOperator c, Operator state, DateTimeOffset now)
    {
        // One answer for every way this can fail: the caller must not learn whether the account or a code exists.
        if (state.Status == OperatorStatus.Disabled
            || state.Activation is not { } activation
            || now >= activation.ExpiresAt
            || !Secrets.CodeMatches(c.ActivationCode, activation.CodeHash))
        {
            return InvalidActivation;
        }

        return Decision.Accept(new OperatorActivated(state.Id, c.NewPasswordHash, Actor.Operator(state.Id, state.Username, state.OrganizationSlug), now));
    }

    public static Decision Decide(ChangePassword c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (!c.CurrentPasswordMatches)
        {
            return Decision.Refuse(RefusalKind.Invalid, "password.current_incorrect", "The current password is not correct.");
        }

        return Decision.Accept(new OperatorPasswordChanged(state.Id, c.NewPasswordHash, actor, now));
    }

    public static Decision Decide(ResetPassword c, Operator state, OperatorRole actorRole, Actor actor, DateTimeOffset now) =>
        Reset(c, state, Guard(state, actorRole, actor, allowSelf: false), actor, now);

    /// <summary>An offboarding's reset of a shared account: with its starter's authority, never an owner's.</summary>
    public static Decision Decide(ResetPassword c, Operator state, OffboardingAuthority authority, Actor actor, DateTimeOffset now) =>
        Reset(c, state, OffboardingGuard(state, authority), actor, now);

    public static Decision Decide(DisableOperator c, Operator state, OperatorRole actorRole, Actor actor, DateTimeOffset now) =>
        Disable(c, state, Guard(state, actorRole, actor, allowSelf: false), actor, now);

    /// <summary>An offboarding's disable of a linked account: with its starter's authority, never an owner's.</summary>
    public static Decision Decide(DisableOperator c, Operator state, OffboardingAuthority authority, Actor actor, DateTimeOffset now) =>
        Disable(c, state, OffboardingGuard(state, authority), actor, now);

    private static Decision Reset(ResetPassword c, Operator state, Refusal? guard, Actor actor, DateTimeOffset now) =>
        guard ?? LastOwner(state, c.ActiveOwners)
        ?? Decision.Accept(new OperatorPasswordReset(state.Id, c.ActivationCodeHash, c.ActivationExpiresAt, actor, now));

    private static Decision Disable(DisableOperator c, Operator state, Refusal? guard, Actor actor, DateTimeOffset now)
    {
        if (guard is not null)
        {
            return guard;
        }

        if (state.Status == OperatorStatus.Disabled)
        {
            return Decision.NothingToDo;
        }

        return LastOwner(state, c.ActiveOwners) ?? Decision.Accept(new OperatorDisabled(state.Id, actor, now));
    }

    public static Decision Decide(EnableOperator c, Operator state, OperatorRole actorRole, Actor actor, DateTimeOffset now)
    {
        if (Guard(state, actorRole, actor, allowSelf: false) is { } refusal)
        {
            return refusal;
        }

        return state.Status != OperatorStatus.Disabled ? Decision.NothingToDo : Decision.Accept(new OperatorEnabled(state.Id, actor, now));
    }

    /// <summary>Only the operator themselves, signed in (an active account): admins end others' sessions by disabling or resetting.</summary>
    public static Decision Decide(SignOutEverywhere c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (actor.OperatorId != state.Id)
        {
            return Decision.Refuse(RefusalKind.Forbidden, "operator.not_self", "Operators sign out everywhere only for themselves.");
        }

        return state.Status != OperatorStatus.Active ? Decision.NothingToDo : Decision.Accept(new OperatorSignedOutEverywhere(state.Id, actor, now));
    }

    public static Decision Decide(StartTwoFactorEnrollment c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (state.TwoFactor.Enabled)
        {
            return Decision.Refuse(RefusalKind.Conflict, "two_factor.already_enabled",
                "Two-factor authentication is already on. An owner or security-admin can reset it if the device is lost.");
        }

        return Decision.Accept(new TwoFactorEnrollmentStarted(state.Id, c.ProtectedSecret, actor, now));
    }

    public static Decision Decide(ConfirmTwoFactor c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (state.TwoFactor.Enabled)
        {
            return Decision.Refuse(RefusalKind.Conflict, "two_factor.already_enabled", "Two-factor authentication is already on.");
        }

        if (state.TwoFactor.PendingProtectedSecret is null)
        {
            return Decision.Refuse(RefusalKind.Conflict, "two_factor.not_started", "Start the enrolment first (control 2fa enroll).");
        }

        if (LockedOut(state, c.Source, now) is { } locked)
        {
            return locked;
        }

        if (!TotpRules.TryAccept(c.PendingSecret, c.Code, now, state.TwoFactor.LastAcceptedStep, out var step))
        {
            return InvalidCode;
        }

        return Decision.Accept(new TwoFactorEnrolled(state.Id, step, c.RecoveryCodeHashes, actor, now));
    }

    public static Decision Decide(RegenerateRecoveryCodes c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (!state.TwoFactor.Enabled)
        {
            return Decision.Refuse(RefusalKind.Conflict, "two_factor.not_enabled", "Two-factor authentication is not on.");
        }

        if (LockedOut(state, c.Source, now) is { } locked)
        {
            return locked;
        }

        if (!TotpRules.TryAccept(c.Secret, c.Code, now, state.TwoFactor.LastAcceptedStep, out var step))
        {
            return InvalidCode;
        }

        return Decision.Accept(new RecoveryCodesRegenerated(state.Id, step, c.RecoveryCodeHashes, actor, now));
    }

    public static Decision Decide(ResetTwoFactor c, Operator state, OperatorRole actorRole, Actor actor, DateTimeOffset now)
    {
        if (Guard(state, actorRole, actor, allowSelf: false) is { } refusal)
        {
            return refusal;
        }

        var hasAnything = state.TwoFactor.Enabled || state.TwoFactor.PendingProtectedSecret is not null;
        return hasAnything ? Decision.Accept(new TwoFactorReset(state.Id, actor, now)) : Decision.NothingToDo;
    }

    /// <summary>
    /// Only an active account of a role that opens sessions gets a viewer identity; the certificate names it as
    /// <c>username@namespace</c>.
    /// </summary>
    public static Decision Decide(IssueViewerCertificate c, Operator state, Actor actor, DateTimeOffset now)
    {
        if (!state.Role.OpensSessions())
        {
            return Decision.Refuse(RefusalKind.Forbidden, "viewer_certificate.role_opens_no_sessions",
                $"Viewer certificates are issued only to roles that open sessions ({OperatorRoles.SessionRoleNames}); the role {state.Role.ToName()} opens none.");
        }

        if (state.Status != OperatorStatus.Active)
        {
            return Decision.Refuse(RefusalKind.Forbidden, "viewer_certificate.account_inactive", "Only an active operator account gets a viewer certificate.");
        }

        // The token was checked when the request arrived; a disable or reset committed since then revoked the
        // certificates it knew of, so one issued now under the old token would escape that revocation.
        if (c.SecurityStamp != state.SecurityStamp)
        {
            return Decision.Refuse(RefusalKind.Forbidden, "viewer_certificate.session_ended",
                "Your session ended (account disabled, password or second factor changed); sign in again.");
        }

        if (c.NotAfter <= now)
        {
            return Decision.Refuse(RefusalKind.Invalid, "viewer_certificate.expired", "The certificate would already be expired.");
        }

        return Decision.Accept(new ViewerCertificateIssued(state.Id, c.Serial, state.QualifiedName, c.PublicKeyFingerprint, c.NotAfter, actor, now));
    }

    /// <summary>
    /// The operator's certificates that are unexpired and not yet revoked, as one revocation on the organization's stream
    /// (every client's policy lists them). Repeating it is a no-op.
    /// </summary>
    public static Decision Decide(RevokeViewerCertificates c, Operator state, Organizations.Organization organization, Actor actor, DateTimeOffset now)
    {
        var revoked = organization.RevokedViewerCertificates.Select(r => r.Serial).ToHashSet(StringComparer.Ordinal);
        var certificates = state.ViewerCertificates
            .Where(v => v.NotAfter > now && !revoked.Contains(v.Serial))
            .Select(v => new Organizations.RevokedViewerCertificate(v.Serial, v.NotAfter))
            .ToList();
        return certificates.Count == 0
            ? Decision.NothingToDo
            : Decision.Accept(new Organizations.ViewerCertificatesRevoked(organization.Id, state.Id, certificates, actor, now));
    }

    /// <summary>
    /// Whether <paramref name="actor"/> may disable, enable or reset <paramref name="target"/>: exactly the check those
    /// decisions make, so a client can leave out what would be refused.
    /// </summary>
    public static bool MayManage(Operator target, OperatorRole actorRole, Actor actor) => Guard(target, actorRole, actor, allowSelf: false) is null;

    /// <summary>The roles an operator of <paramref name="actorRole"/> may invite (the invitation's own check, plus who may invite at all).</summary>
    public static IReadOnlyList<string> GrantableRoles(OperatorRole actorRole) =>
        actorRole.CanManageOperators() ? Enum.GetValues<OperatorRole>().Where(r => actorRole.CanManage(r)).Select(r => r.ToName()).ToList() : [];

    /// <summary>
    /// Why <paramref name="actor"/> may not manage <paramref name="target"/> (null: they may): the rule of disable, enable and
    /// reset, also applied to linking the account to a person, since an offboarding of the person acts on it.
    /// </summary>
    public static Refusal? ManageRefusal(Operator target, OperatorRole actorRole, Actor actor) => Guard(target, actorRole, actor, allowSelf: false);

    private static Refusal? OffboardingGuard(Operator target, OffboardingAuthority authority)
    {
        if (authority.StarterRole is not { } role || !role.CanOffboard(target.Role))
        {
            var who = authority.StarterRole is { } known ? $"{authority.Starter.Name} ({known.ToName()})" : authority.Starter.Name;
            return new Refusal(RefusalKind.Forbidden, "offboarding.not_authorized",
                $"skipped: the offboarding's starter {who} may not change {target.QualifiedName}; an operator who may manages it by hand.");
        }

        if (authority.Starter.OperatorId == target.Id)
        {
            return new Refusal(RefusalKind.Conflict, "operator.self",
                $"skipped: {target.QualifiedName} started this offboarding; nobody changes their own account, ask another owner or security-admin.");
        }

        return null;
    }

    /// <summary>An organization always keeps an owner who can sign in: nobody, by any path, disables or resets the last one.</summary>
    private static Refusal? LastOwner(Operator target, int activeOwners) =>
        target is { Role: OperatorRole.Owner, Status: OperatorStatus.Active } && activeOwners <= 1
            ? new Refusal(RefusalKind.Conflict, "operator.last_owner",
                $"{target.QualifiedName} is the organization's last active owner; make another operator an owner first.")
            : null;

    private static Refusal? Guard(Operator target, OperatorRole actorRole, Actor actor, bool allowSelf)
    {
        if (!actorRole.CanManageOperators() || !actorRole.CanManage(target.Role))
        {
            return new Refusal(RefusalKind.Forbidden, "operator.not_manageable", "Your role may not manage this operator.");
        }

        if (!allowSelf && actor.OperatorId == target.Id)
        {
            return new Refusal(RefusalKind.Conflict, "operator.self", "You cannot do this to your own account; ask another owner or security-admin.");
        }

        return null;
    }

    private static Decision UsernameTaken(string username) =>
        Decision.Refuse(RefusalKind.Conflict, "operator.username_taken", $"An operator named '{username}' already exists in this organization.");

    private static readonly Decision InvalidActivation =
        Decision.Refuse(RefusalKind.Invalid, "operator.activation_invalid", "The activation code is not valid (wrong, used or expired).");

    private const string InvalidCodeCode = "two_factor.code_invalid";

    private static readonly Decision InvalidCode =
        Decision.Refuse(RefusalKind.Invalid, InvalidCodeCode, "The code is not valid (wrong, expired or already used).");
}
