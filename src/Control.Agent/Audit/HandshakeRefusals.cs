using Control.Agent.Sessions;
using Control.Domain.Sessions;

namespace Control.Agent.Audit;

/// <summary>
/// Counts refused TLS handshakes per source and reports each source's count once per <see cref="Window"/> (one
/// <see cref="SessionHandshakesRefused"/>), instead of an audit event, a chain entry and a syslog line per handshake:
/// whoever can reach the session port must not be able to turn each refusal into work and disk for the agent and the API.
/// The first refusal of a window is logged; the rest are counted and logged with the report.
/// </summary>
internal sealed class HandshakeRefusals(Guid clientId, ISessionAudit audit, TimeProvider clock, Action<string> log)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Sources tracked at once; beyond it (a flood from many addresses) refusals count under one line, <c>other sources</c>.</summary>
    public const int MaxSources = 4096;

    /// <summary>Distinct reasons kept per source; further ones count as <c>other reasons</c>.</summary>
    public const int MaxReasons = 16;

    private const string OtherSources = "other sources";
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Tally> _bySource = new(StringComparer.Ordinal);

    public void Add(string source, string reason)
    {
        var now = clock.GetUtcNow();
        bool first;
        lock (_gate)
        {
            if (!_bySource.ContainsKey(source) && _bySource.Count >= MaxSources)
            {
                source = OtherSources;
            }

            first = !_bySource.TryGetValue(source, out var tally);
            if (first)
            {
                tally = new Tally(now);
                _bySource[source] = tally;
            }

            tally!.Count++;
            var key = tally.Reasons.ContainsKey(reason) || tally.Reasons.Count < MaxReasons ? reason : "other reasons";
            tally.Reasons[key] = tally.Reasons.GetValueOrDefault(key) + 1;
        }

        if (first)
        {
            log($"session from {source} refused in the TLS handshake: {reason} (further refusals from {source} are counted and reported within {Window.TotalSeconds:0} s)");
        }
    }

    /// <summary>Reports every source whose window is over (all of them when <paramref name="all"/>).</summary>
    public void Flush(bool all = false)
    {
        var now = clock.GetUtcNow();
        List<(string Source, Tally Tally)> due;
        lock (_gate)
        {
            due = [.. _bySource.Where(s => all || now - s.Value.FirstAt >= Window).Select(s => (s.Key, s.Value))];
            foreach (var (source, _) in due)
            {
                _bySource.Remove(source);
            }
        }

        foreach (var (source, tally) in due)
        {
            log($"session from {source}: {tally.Count} TLS handshakes refused since {tally.FirstAt:O}");
            try
            {
                audit.Record(new SessionHandshakesRefused(Guid.CreateVersion7(), clientId, source, tally.Count, tally.Reasons, tally.FirstAt, now));
            }
            catch (IOException e)
            {
                log($"session audit: could not record the refused handshakes from {source}: {e.Message}");
            }
        }
    }

    /// <summary>Reports due windows every few seconds, and everything still counted when stopping.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(FlushPeriod, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }

        Flush(all: true);
    }

    private sealed class Tally(DateTimeOffset firstAt)
    {
        public DateTimeOffset FirstAt { get; } = firstAt;

        public int Count { get; set; }

        public Dictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);
    }
}
