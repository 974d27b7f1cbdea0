namespace Control.Domain.Operators;

/// <summary>
/// Failed proofs of a credential (password, second-factor code) are counted per account and source address, as OpenSSH's
/// per-source penalties count them: after <see cref="FreeAttempts"/> consecutive failures from one address, that address is
/// locked out of the account for 30 s, doubling with each further failure up to 30 min. A stranger who knows a username
/// thereby locks out only their own address, never the operator signing in from elsewhere. Across all addresses the
/// account's failures are counted too: from <see cref="AccountFreeAttempts"/> on (a guess from many addresses) each further
/// failure holds the whole account for 1 s, doubling, but never more than <see cref="LongestAccountHold"/>, so a crowd of
/// addresses gets one guess a minute at most and the operator waits a minute at most. A success resets the account's count
/// and its own address's.
/// </summary>
public static class Lockout
{
    public const int FreeAttempts = 5;
    public const int AccountFreeAttempts = 20;

    /// <summary>The addresses whose failures an account remembers (those failing longest ago are forgotten first).</summary>
    public const int RememberedSources = 32;

    public static readonly TimeSpan LongestAccountHold = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FirstLock = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan FirstAccountHold = TimeSpan.FromSeconds(1);

    /// <summary>Until when a source address with this many consecutive failures is locked out of the account.</summary>
    public static DateTimeOffset? LockedUntil(int consecutiveFailures, DateTimeOffset failedAt) =>
        Backoff(consecutiveFailures, FreeAttempts, FirstLock, LongestLock, failedAt);

    /// <summary>Until when the whole account is held after this many consecutive failures from all addresses together.</summary>
    public static DateTimeOffset? AccountHeldUntil(int consecutiveFailures, DateTimeOffset failedAt) =>
        Backoff(consecutiveFailures, AccountFreeAttempts, FirstAccountHold, LongestAccountHold, failedAt);

    public static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null || a > b ? a : b;

    private static DateTimeOffset? Backoff(int failures, int free, TimeSpan first, TimeSpan longest, DateTimeOffset failedAt)
    {
        if (failures < free)
        {
            return null;
        }

        var doublings = Math.Min(failures - free, 16);
        return failedAt + TimeSpan.FromTicks(Math.Min(first.Ticks << doublings, longest.Ticks));
    }
}
