using System.Diagnostics;

namespace Control.EndToEnd.Tests;

/// <summary>Bounded waits for what another process does: poll a condition until it holds, or fail saying what was awaited and what was seen.</summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(200);

    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan within, Func<string> context, TimeSpan? period = null)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > within)
            {
                Assert.Fail($"Waited {within.TotalSeconds} s for {what}.{Environment.NewLine}{context()}");
            }

            await Task.Delay(period ?? DefaultPeriod);
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan within, Func<string> context, TimeSpan? period = null) =>
        Until(() => Task.FromResult(condition()), what, within, context, period);
}
