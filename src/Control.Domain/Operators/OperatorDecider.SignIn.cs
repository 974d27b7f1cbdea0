using Control.Domain.Common;

namespace Control.Domain.Operators;

/// <summary>Sign-in and the lockout: every failed proof of a credential counts per account and source address (see <see cref="Lockout"/>).</summary>
public static partial class OperatorDecider
{
    public static SignInResult Decide(SignIn c, Operator state, DateTimeOffset now)
    {
        // Disabled, not yet activated and locked accounts answer exactly like a wrong password (no enumeration), and
        // attempts from a locked address are not counted: a stranger's lock extends neither itself nor anyone else's.
        if (state.Status != OperatorStatus.Active || state.PasswordHash is null || state.IsLockedOut(c.Source, now))
        {
            return SignInResult.Reject(SignInRejection.InvalidCredentials);
        }

        if (!c.PasswordMatches)
        {
            return SignInResult.Reject(SignInRejection.InvalidCredentials, Failed(state, c.Source, SignInFailureCause.Password, now));
        }

        if (!state.TwoFactor.Enabled)
        {
            return SignInResult.Accept(new OperatorSignedIn(state.Id, c.Source, SecondFactor.None, null, null, now));
        }

        if (string.IsNullOrWhiteSpace(c.TotpCode) && string.IsNullOrWhiteSpace(c.RecoveryCode))
        {
            return SignInResult.Reject(SignInRejection.SecondFactorRequired);
        }

        if (!string.IsNullOrWhiteSpace(c.RecoveryCode))
        {
            var index = IndexOfUnusedRecoveryCode(state.TwoFactor.RecoveryCodes, c.RecoveryCode);
            return index >= 0
                ? SignInResult.Accept(new OperatorSignedIn(state.Id, c.Source, SecondFactor.RecoveryCode, null, index, now))
                : SignInResult.Reject(SignInRejection.InvalidSecondFactor, Failed(state, c.Source, SignInFailureCause.SecondFactor, now));
        }

        if (c.Secret is not null && TotpRules.TryAccept(c.Secret, c.TotpCode, now, state.TwoFactor.LastAcceptedStep, out var step))
        {
            return SignInResult.Accept(new OperatorSignedIn(state.Id, c.Source, SecondFactor.Totp, step, null, now));
        }

        return SignInResult.Reject(SignInRejection.InvalidSecondFactor, Failed(state, c.Source, SignInFailureCause.SecondFactor, now));
    }

    /// <summary>
    /// The failure to record when a code given to a signed-in endpoint (<see cref="ConfirmTwoFactor"/>,
    /// <see cref="RegenerateRecoveryCodes"/>) was refused as wrong: it counts towards the lockout like a failed sign-in, so
    /// those endpoints are no oracle for a stolen token to guess codes with. Null for any other refusal.
    /// </summary>
    public static OperatorSignInFailed? FailedAttempt(Operator state, Refusal refusal, string source, DateTimeOffset now) =>
        refusal.Code == InvalidCodeCode ? Failed(state, source, SignInFailureCause.SecondFactor, now) : null;

    private static OperatorSignInFailed Failed(Operator state, string source, SignInFailureCause cause, DateTimeOffset now)
    {
        var failures = state.ConsecutiveFailures + 1;
        var until = Lockout.Later(Lockout.LockedUntil(state.FailuresFrom(source) + 1, now), Lockout.AccountHeldUntil(failures, now));
        return new OperatorSignInFailed(state.Id, source, cause, failures, until, now);
    }

    private static Refusal? LockedOut(Operator state, string source, DateTimeOffset now) =>
        state.LockedUntil(source, now) is { } until
            ? new Refusal(RefusalKind.TooManyAttempts, "two_factor.locked",
                $"Too many wrong codes lately; try again after {until.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC.")
            : null;

    private static int IndexOfUnusedRecoveryCode(IReadOnlyList<RecoveryCode> codes, string presented)
    {
        // Compare against every code, used or not, so timing does not reveal which one matched.
        var hash = Secrets.HashCode(presented);
        var found = -1;
        for (var i = 0; i < codes.Count; i++)
        {
            if (Secrets.HashesEqual(hash, codes[i].Hash) && !codes[i].Used)
            {
                found = i;
            }
        }

        return found;
    }
}

public enum SignInRejection
{
    /// <summary>Unknown user, wrong password, disabled, not activated or locked: all the same to the caller.</summary>
    InvalidCredentials,
    SecondFactorRequired,
    InvalidSecondFactor,
}

public sealed record SignInResult(IReadOnlyList<object> Events, SignInRejection? Rejection)
{
    public bool Succeeded => Rejection is null;

    public static SignInResult Accept(OperatorSignedIn e) => new([e], null);

    public static SignInResult Reject(SignInRejection why, params object[] events) => new(events, why);
}
