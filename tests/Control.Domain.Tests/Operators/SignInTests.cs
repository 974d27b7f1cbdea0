using Control.Domain.Common;
using Control.Domain.Operators;
using OtpNet;

namespace Control.Domain.Tests.Operators;

public class SignInTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Actor Owner = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");
    private static readonly byte[] Seed = KeyGeneration.GenerateRandomKey(20);

    private static Operator Active() =>
        Operator.Start(new OperatorRegistered(Id, Guid.CreateVersion7(), "acme", "bob", OperatorRole.Technician, "hash", Owner, T0));

    private static Operator WithTwoFactor(long lastStep = 0) => Active()
        .When(new TwoFactorEnrollmentStarted(Id, "p", Owner, T0))
        .When(new TwoFactorEnrolled(Id, lastStep, [Secrets.HashCode("AAAA-BBBB-CCCC-DDDD")], Owner, T0));

    private const string Source = "203.0.113.7";

    private static SignInResult Attempt(Operator state, bool password, DateTimeOffset at, string? totp = null, string? recovery = null, string source = Source) =>
        OperatorDecider.Decide(new SignIn(password, totp, recovery, state.TwoFactor.Enabled ? Seed : null, source), state, at);

    private static Operator Fold(Operator state, SignInResult result) => result.Events.Aggregate(state, (s, e) => Operator.Evolve(s, e)!);

    [Fact]
    public void Right_password_without_2fa_signs_in()
    {
        var result = Attempt(Active(), true, T0);
        var signedIn = Assert.IsType<OperatorSignedIn>(Assert.Single(result.Events));
        Assert.True(result.Succeeded);
        Assert.Equal("203.0.113.7", signedIn.Source);
    }

    [Fact]
    public void Five_failures_lock_the_account_and_a_locked_account_answers_like_a_wrong_password()
    {
        var state = Active();
        for (var i = 0; i < Lockout.FreeAttempts; i++)
        {
            var failed = Attempt(state, false, T0.AddSeconds(i));
            Assert.Equal(SignInRejection.InvalidCredentials, failed.Rejection);
            state = Fold(state, failed);
        }

        Assert.Equal(T0.AddSeconds(4 + 30), state.LockedUntil(Source, T0.AddSeconds(4)));

        // The right password during the lock: same answer as a wrong one, and no event (the lock is not extended).
        var locked = Attempt(state, true, T0.AddSeconds(10));
        Assert.Equal(SignInRejection.InvalidCredentials, locked.Rejection);
        Assert.Empty(locked.Events);

        // After the lock, the right password works and resets the counter.
        var after = Fold(state, Attempt(state, true, T0.AddSeconds(35)));
        Assert.Equal(0, after.ConsecutiveFailures);
        Assert.Null(after.LockedUntil(Source, T0.AddSeconds(35)));
    }

    [Fact]
    public void A_locked_address_locks_out_only_itself_and_the_operators_success_elsewhere_leaves_it_locked()
    {
        var state = Active();
        for (var i = 0; i < Lockout.FreeAttempts; i++)
        {
            state = Fold(state, Attempt(state, false, T0.AddSeconds(i)));
        }

        var elsewhere = Attempt(state, true, T0.AddSeconds(10), source: "198.51.100.9");
        Assert.True(elsewhere.Succeeded);
        state = Fold(state, elsewhere);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(SignInRejection.InvalidCredentials, Attempt(state, true, T0.AddSeconds(11)).Rejection);
    }

    [Fact]
    public void Failures_from_many_addresses_hold_the_account_for_a_bounded_time()
    {
        var state = Active();
        for (var i = 0; i < Lockout.AccountFreeAttempts + 10; i++)
        {
            var failed = Attempt(state, false, T0.AddMinutes(i), source: $"192.0.2.{i}");
            Assert.Single(failed.Events);
            state = Fold(state, failed);
        }

        var last = T0.AddMinutes(Lockout.AccountFreeAttempts + 9);
        Assert.Equal(last + Lockout.LongestAccountHold, state.AccountHeldUntil);
        Assert.Equal(SignInRejection.InvalidCredentials, Attempt(state, true, last.AddSeconds(59), source: "198.51.100.9").Rejection);
        Assert.True(Attempt(state, true, last.AddSeconds(60), source: "198.51.100.9").Succeeded);
    }

    [Fact]
    public void An_account_remembers_a_bounded_number_of_failing_addresses()
    {
        var state = Active();
        for (var i = 0; i < Lockout.RememberedSources + 5; i++)
        {
            state = Fold(state, Attempt(state, false, T0.AddMinutes(i), source: $"192.0.2.{i}"));
        }

        Assert.Equal(Lockout.RememberedSources, state.FailedSources.Count);
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(5, 30)]
    [InlineData(6, 60)]
    [InlineData(7, 120)]
    [InlineData(30, 1800)]
    public void Lockout_doubles_up_to_thirty_minutes(int failures, int? lockSeconds)
    {
        Assert.Equal(lockSeconds is { } s ? T0.AddSeconds(s) : null, Lockout.LockedUntil(failures, T0));
    }

    [Fact]
    public void Disabled_and_unactivated_accounts_cannot_sign_in_even_with_the_right_password()
    {
        var disabled = Active().When(new OperatorDisabled(Id, Owner, T0));
        var reset = Active().When(new OperatorPasswordReset(Id, "h", T0.AddDays(1), Owner, T0));
        Assert.Equal(SignInRejection.InvalidCredentials, Attempt(disabled, true, T0).Rejection);
        Assert.Equal(SignInRejection.InvalidCredentials, Attempt(reset, true, T0).Rejection);
    }

    [Fact]
    public void With_2fa_the_password_alone_asks_for_the_second_factor_without_counting_a_failure()
    {
        var result = Attempt(WithTwoFactor(), true, T0);
        Assert.Equal(SignInRejection.SecondFactorRequired, result.Rejection);
        Assert.Empty(result.Events);
    }

    [Fact]
    public void A_totp_code_works_once_and_its_replay_is_refused()
    {
        var state = WithTwoFactor();
        var code = new Totp(Seed).ComputeTotp(T0.UtcDateTime);

        var first = Attempt(state, true, T0, totp: code);
        Assert.True(first.Succeeded);
        state = Fold(state, first);

        var replay = Attempt(state, true, T0.AddSeconds(3), totp: code);
        Assert.Equal(SignInRejection.InvalidSecondFactor, replay.Rejection);
        Assert.IsType<OperatorSignInFailed>(Assert.Single(replay.Events));
    }

    [Fact]
    public void A_recovery_code_works_once()
    {
        var state = WithTwoFactor();
        var first = Attempt(state, true, T0, recovery: "aaaa-bbbb-cccc-dddd");
        Assert.Equal(SecondFactor.RecoveryCode, Assert.IsType<OperatorSignedIn>(Assert.Single(first.Events)).SecondFactor);
        state = Fold(state, first);
        Assert.Equal(0, state.TwoFactor.RecoveryCodesLeft);

        Assert.Equal(SignInRejection.InvalidSecondFactor, Attempt(state, true, T0.AddMinutes(1), recovery: "AAAA-BBBB-CCCC-DDDD").Rejection);
    }

    [Fact]
    public void Wrong_password_with_a_valid_code_is_a_password_failure()
    {
        var state = WithTwoFactor();
        var result = Attempt(state, false, T0, totp: new Totp(Seed).ComputeTotp(T0.UtcDateTime));
        Assert.Equal(SignInRejection.InvalidCredentials, result.Rejection);
        Assert.Equal(SignInFailureCause.Password, Assert.IsType<OperatorSignInFailed>(Assert.Single(result.Events)).Cause);
    }
}
