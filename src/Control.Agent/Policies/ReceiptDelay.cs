namespace Control.Agent.Policies;

/// <summary>
/// How long the agent waits, after applying a new policy, before sending its signed receipt: one second, then a uniformly
/// random pause within a two-second window. One organization-wide change wakes every agent in the same instant; the
/// API spends that first second handing the new policy to all of them, and each receipt (a signature for the API to
/// verify, a request to handle) sent meanwhile would delay someone's policy. So no receipt lands in that second, and the
/// fleet's receipts spread over the two after it. The policy itself is enforced at once; only the proof of it waits.
/// </summary>
internal static class ReceiptDelay
{
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static TimeSpan Maximum => Minimum + Window;

    public static TimeSpan Next(Random random) => Minimum + TimeSpan.FromTicks((long)(Window.Ticks * random.NextDouble()));
}
