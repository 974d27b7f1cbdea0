namespace Control.Domain.Operators;

public sealed record RecoveryCode(string Hash, bool Used);

public sealed record PendingActivation(string CodeHash, DateTimeOffset ExpiresAt);

/// <summary>Consecutive failed proofs of a credential from one source address (see <see cref="Lockout"/>).</summary>
public sealed record SourceFailures(string Source, int Failures, DateTimeOffset LastFailedAt, DateTimeOffset? LockedUntil);

/// <summary>A viewer certificate issued to the operator, remembered until it expires so that it can be revoked.</summary>
public sealed record IssuedViewerCertificate(string Serial, DateTimeOffset NotAfter);

public sealed record TwoFactorState(
    bool Enabled,
    string? ProtectedSecret,
    string? PendingProtectedSecret,
    long LastAcceptedStep,
    IReadOnlyList<RecoveryCode> RecoveryCodes)
{
    public static TwoFactorState Off { get; } = new(false, null, null, 0, []);

    public int RecoveryCodesLeft => RecoveryCodes.Count(c => !c.Used);
}

/// <summary>
/// State of an operator account, rebuilt from its stream by <see cref="Evolve"/> (<c>Start</c> for a stream's first
/// event, <c>When</c> for the rest; not the event store's Create/Apply conventions, so the store is told explicitly). <see cref="SecurityStamp"/> changes whenever every token
/// the operator holds must die at once (disable, password change or reset, 2FA reset, sign-out everywhere): tokens carry the stamp they
/// were issued under and are checked against it on every request.
/// </summary>
public sealed record Operator
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationSlug { get; init; }
    public required string Username { get; init; }
    public required OperatorRole Role { get; init; }
    public required OperatorStatus Status { get; init; }
    public string? PasswordHash { get; init; }
    public PendingActivation? Activation { get; init; }
    public int SecurityStamp { get; init; }
    public TwoFactorState TwoFactor { get; init; } = TwoFactorState.Off;
    /// <summary>Failures since the last success, from every address together.</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>Set once <see cref="ConsecutiveFailures"/> reaches <see cref="Lockout.AccountFreeAttempts"/>: no address is heard before.</summary>
    public DateTimeOffset? AccountHeldUntil { get; init; }

    /// <summary>The addresses that failed lately, each with its own count and lock (at most <see cref="Lockout.RememberedSources"/>).</summary>
    public IReadOnlyList<SourceFailures> FailedSources { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastSignInAt { get; init; }

    /// <summary>Viewer certificates not yet expired when the last one was issued (expired ones are dropped then).</summary>
    public IReadOnlyList<IssuedViewerCertificate> ViewerCertificates { get; init; } = [];

    /// <summary>Stream version, set by the event store when it loads the aggregate (the one mutable member, by design of the store).</summary>
    public long Version { get; set; }

    public string QualifiedName => $"{Username}@{OrganizationSlug}";

    public static Operator Start(OperatorRegistered e) => new()
    {
        Id = e.OperatorId,
        OrganizationId = e.OrganizationId,
        OrganizationSlug = e.OrganizationSlug,
        Username = e.Username,
        Role = e.Role,
        Status = OperatorStatus.Active,
        PasswordHash = e.PasswordHash,
        CreatedAt = e.At,
    };

    public static Operator Start(OperatorInvited e) => new()
    {
        Id = e.OperatorId,
        OrganizationId = e.OrganizationId,
        OrganizationSlug = e.OrganizationSlug,
        Username = e.Username,
        Role = e.Role,
        Status = OperatorStatus.Invited,
        Activation = new PendingActivation(e.ActivationCodeHash, e.ActivationExpiresAt),
        CreatedAt = e.At,
    };

    public Operator When(OperatorActivated e) => this with
    {
        Status = Status == OperatorStatus.Invited ? OperatorStatus.Active : Status,
        PasswordHash = e.PasswordHash,
        Activation = null,
        ConsecutiveFailures = 0,
        AccountHeldUntil = null,
        FailedSources = [],
    };

    public Operator When(OperatorPasswordChanged e) => this with { PasswordHash = e.PasswordHash, SecurityStamp = SecurityStamp + 1 };

    public Operator When(OperatorPasswordReset e) => this with
    {
        PasswordHash = null,
        Activation = new PendingActivation(e.ActivationCodeHash, e.ActivationExpiresAt),
        SecurityStamp = SecurityStamp + 1,
    };

    public Operator When(OperatorDisabled e) => this with { Status = OperatorStatus.Disabled, SecurityStamp = SecurityStamp + 1 };

    public Operator When(OperatorSignedOutEverywhere e) => this with { SecurityStamp = SecurityStamp + 1 };

    public Operator When(OperatorEnabled e) => this with
    {
        Status = PasswordHash is null ? OperatorStatus.Invited : OperatorStatus.Active,
        ConsecutiveFailures = 0,
        AccountHeldUntil = null,
        FailedSources = [],
    };

    public Operator When(TwoFactorEnrollmentStarted e) => this with { TwoFactor = TwoFactor with { PendingProtectedSecret = e.ProtectedSecret } };

    public Operator When(TwoFactorEnrolled e) => this with
    {
        TwoFactor = new TwoFactorState(true, TwoFactor.PendingProtectedSecret, null, e.AcceptedStep, NewCodes(e.RecoveryCodeHashes)),
    };

    public Operator When(RecoveryCodesRegenerated e) => this with
    {
        TwoFactor = TwoFactor with { LastAcceptedStep = Math.Max(TwoFactor.LastAcceptedStep, e.AcceptedStep), RecoveryCodes = NewCodes(e.RecoveryCodeHashes) },
    };

    public Operator When(TwoFactorReset e) => this with { TwoFactor = TwoFactorState.Off, SecurityStamp = SecurityStamp + 1 };

    // Only the address that proved the credential is cleared: a stranger's lock elsewhere stays.
    public Operator When(OperatorSignedIn e) => this with
    {
        ConsecutiveFailures = 0,
        AccountHeldUntil = null,
        FailedSources = FailedSources.Where(f => f.Source != e.Source).ToList(),
        LastSignInAt = e.At,
        TwoFactor = TwoFactor with
        {
            LastAcceptedStep = e.AcceptedStep is { } step ? Math.Max(step, TwoFactor.LastAcceptedStep) : TwoFactor.LastAcceptedStep,
            RecoveryCodes = e.RecoveryCodeIndex is { } used
                ? TwoFactor.RecoveryCodes.Select((c, i) => i == used ? c with { Used = true } : c).ToList()
                : TwoFactor.RecoveryCodes,
        },
    };

    public Operator When(ViewerCertificateIssued e) => this with
    {
        ViewerCertificates = [.. ViewerCertificates.Where(c => c.NotAfter > e.At), new IssuedViewerCertificate(e.Serial, e.NotAfter)],
    };

    // The source's count and lock are folded from the events' sources, not read from the event, so that events recorded
    // when the lock was per account alone fold into the same per-source state.
    public Operator When(OperatorSignInFailed e)
    {
        var failures = FailuresFrom(e.Source) + 1;
        var others = FailedSources.Where(f => f.Source != e.Source).OrderByDescending(f => f.LastFailedAt).Take(Lockout.RememberedSources - 1);
        return this with
        {
            ConsecutiveFailures = e.ConsecutiveFailures,
            AccountHeldUntil = Lockout.AccountHeldUntil(e.ConsecutiveFailures, e.At),
            FailedSources = [new SourceFailures(e.Source, failures, e.At, Lockout.LockedUntil(failures, e.At)), .. others],
        };
    }

    /// <summary>The one fold over the stream: the event store's projection and the API's in-flight responses both use it.</summary>
    public static Operator? Evolve(Operator? state, object @event) => @event switch
    {
        OperatorRegistered e => Start(e),
        OperatorInvited e => Start(e),
        _ when state is null => null,
        OperatorActivated e => state.When(e),
        OperatorPasswordChanged e => state.When(e),
        OperatorPasswordReset e => state.When(e),
        OperatorDisabled e => state.When(e),
        OperatorEnabled e => state.When(e),
        OperatorSignedOutEverywhere e => state.When(e),
        TwoFactorEnrollmentStarted e => state.When(e),
        TwoFactorEnrolled e => state.When(e),
        RecoveryCodesRegenerated e => state.When(e),
        TwoFactorReset e => state.When(e),
        OperatorSignedIn e => state.When(e),
        OperatorSignInFailed e => state.When(e),
        ViewerCertificateIssued e => state.When(e),
        _ => state,
    };

    public int FailuresFrom(string source) => FailedSources.FirstOrDefault(f => f.Source == source)?.Failures ?? 0;

    /// <summary>Until when attempts from this address are not heard (its own lock, or the account's hold), or null.</summary>
    public DateTimeOffset? LockedUntil(string source, DateTimeOffset now)
    {
        var until = Lockout.Later(FailedSources.FirstOrDefault(f => f.Source == source)?.LockedUntil, AccountHeldUntil);
        return until > now ? until : null;
    }

    public bool IsLockedOut(string source, DateTimeOffset now) => LockedUntil(source, now) is not null;

    private static List<RecoveryCode> NewCodes(IReadOnlyList<string> hashes) => hashes.Select(h => new RecoveryCode(h, false)).ToList();
}
