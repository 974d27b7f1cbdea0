using System.Diagnostics;

namespace Control.Testing;

/// <summary>
/// Bounded waits for what another process, thread or host does: poll until a condition holds, or fail saying what was
/// awaited and what was seen. Every wait in the test projects goes through here, so none can hang a run.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan DefaultPeriod = TimeSpan.FromMilliseconds(50);

    /// <param name="context">What the failure message shows beside <paramref name="what"/> (a process's log, say): read only on failure.</param>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan? within = null, Func<string>? context = null, TimeSpan? period = null)
    {
        var limit = within ?? DefaultWithin;
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds} s for {what}.{(context is null ? "" : Environment.NewLine + context())}");
            }

            await Task.Delay(period ?? DefaultPeriod);
        }
    }

    public static Task Until(Func<bool> condition, string what, TimeSpan? within = null, Func<string>? context = null, TimeSpan? period = null) =>
        Until(() => Task.FromResult(condition()), what, within, context, period);

    /// <summary>Reads until the value satisfies <paramref name="reached"/>, and returns that value; a failure shows the last one read.</summary>
    public static async Task<T> Until<T>(
        Func<Task<T>> read, Func<T, bool> reached, string what, TimeSpan? within = null, Func<T, string>? describe = null, TimeSpan? period = null)
    {
        var last = default(T);
        await Until(async () => reached(last = await read()), what, within,
            () => last is null ? "nothing was read" : "last seen: " + (describe?.Invoke(last) ?? last.ToString()), period);
        return last!;
    }
}
