namespace Control.Domain.Operators;

/// <summary>
/// Per-account lockout with exponential backoff: after <see cref="FreeAttempts"/> consecutive failures the account
/// locks for 30 s, doubling with each further failure up to 30 min. A successful sign-in resets it.
/// </summary>
public static class Lockout
{
    public const int FreeAttempts = 5;
    private static readonly TimeSpan FirstLock = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLock = TimeSpan.FromMinutes(30);

    public static DateTimeOffset? LockedUntil(int consecutiveFailures, DateTimeOffset failedAt)
    {
        if (consecutiveFailures < FreeAttempts)
        {
            return null;
        }

        var doublings = Math.Min(consecutiveFailures - FreeAttempts, 16);
        var duration = TimeSpan.FromTicks(Math.Min(FirstLock.Ticks << doublings, LongestLock.Ticks));
        return failedAt + duration;
    }
}
