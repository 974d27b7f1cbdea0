using Control.Agent.Server;

namespace Control.Agent.Tests;

public class BackoffTests
{
    [Fact]
    public void Next_CeilingDoublesFromHalfASecondToTheThirtySecondCap()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(7));
        var ceilings = new List<double>();
        for (var i = 0; i < 9; i++)
        {
            ceilings.Add(backoff.Ceiling.TotalSeconds);
            backoff.Next();
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30], ceilings);
    }

    [Fact]
    public void Next_IsFullJitter_UniformBetweenZeroAndTheCeiling()
    {
        var pauses = new List<TimeSpan>();
        for (var run = 0; run < 200; run++)
        {
            var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(run));
            for (var i = 0; i < 6; i++)
            {
                backoff.Next();
            }

            var ceiling = backoff.Ceiling;
            var pause = backoff.Next();
            Assert.InRange(pause, TimeSpan.Zero, ceiling);
            pauses.Add(pause);
        }

        // Agents that lost the API together must not come back together: the pauses spread over the whole range.
        Assert.Contains(pauses, p => p < TimeSpan.FromSeconds(5));
        Assert.Contains(pauses, p => p > TimeSpan.FromSeconds(25));
    }

    [Fact]
    public void Reset_StartsAgainFromTheInitialCeiling()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), new Random(1));
        for (var i = 0; i < 5; i++)
        {
            backoff.Next();
        }

        backoff.Reset();

        Assert.Equal(TimeSpan.FromMilliseconds(500), backoff.Ceiling);
        Assert.InRange(backoff.Next(), TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
    }
}
