using System.Collections.Concurrent;

namespace Control.Agent.Sessions;

/// <summary>
/// Failed authentications per viewer identity and per source address: after <see cref="FreeAttempts"/> failures a key is
/// locked out for 30 s, doubling with each further failure up to 30 minutes. A locked-out attempt is denied before any
/// password or code is checked (so guessing during a lockout learns nothing). Success clears the key.
/// </summary>
internal sealed class FailureLimiter(TimeProvider clock)
{
    public const int FreeAttempts = 5;
    private static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LongestLockout = TimeSpan.FromMinutes(30);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset LockedUntil)> _keys = new();

    /// <summary>When any of the keys is locked out, until when.</summary>
    public DateTimeOffset? LockedUntil(params string[] keys)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? until = null;
        foreach (var key in keys)
        {
            if (_keys.TryGetValue(key, out var entry) && entry.LockedUntil > now && (until is null || entry.LockedUntil > until))
            {
                until = entry.LockedUntil;
            }
        }

        return until;
    }

    public void Failed(params string[] keys)
    {
        var now = clock.GetUtcNow();
        foreach (var key in keys)
        {
            _keys.AddOrUpdate(key, _ => (1, DateTimeOffset.MinValue), (_, entry) =>
            {
                var failures = entry.Failures + 1;
                if (failures < FreeAttempts)
                {
                    return (failures, entry.LockedUntil);
                }

                var lockout = TimeSpan.FromTicks(Math.Min(LongestLockout.Ticks, FirstLockout.Ticks << Math.Min(failures - FreeAttempts, 16)));
                return (failures, now + lockout);
            });
        }
    }

    public void Succeeded(params string[] keys)
    {
        foreach (var key in keys)
        {
            _keys.TryRemove(key, out _);
        }
    }
}
