namespace Control.Agent.Server;

/// <summary>
/// Exponential backoff with full jitter (a uniformly random pause up to the current ceiling): thousands of agents that
/// lost the API at the same moment must not all come back at the same moment.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan cap, Random random)
{
    private int _failures;

    /// <summary>The current ceiling: <c>initial * 2^failures</c>, at most the cap.</summary>
    public TimeSpan Ceiling => TimeSpan.FromTicks((long)Math.Min(cap.Ticks, initial.Ticks * Math.Pow(2, _failures)));

    public TimeSpan Next()
    {
        var pause = TimeSpan.FromTicks((long)(Ceiling.Ticks * random.NextDouble()));
        if (Ceiling < cap)
        {
            _failures++;
        }

        return pause;
    }

    public void Reset() => _failures = 0;
}
