namespace Control.Agent.Policies;

/// <summary>
/// How long the agent waits, after applying a new policy, before sending its signed receipt: a uniformly random pause
/// within a short window. One organization-wide change wakes every agent in the same instant; without the pause all
/// their receipts (each a signature for the API to verify) would land in the very second the API is handing the new
/// policy to the others. The policy itself is enforced at once; only the proof of it is spread out.
/// </summary>
internal static class ReceiptDelay
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static TimeSpan Next(Random random) => TimeSpan.FromTicks((long)(Window.Ticks * random.NextDouble()));
}
