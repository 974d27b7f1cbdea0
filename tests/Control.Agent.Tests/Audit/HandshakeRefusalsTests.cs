using Control.Agent.Audit;
using Control.Agent.Tests.Sessions;
using Control.Domain.Sessions;

namespace Control.Agent.Tests.Audit;

/// <summary>Refused handshakes are counted per source and reported once a minute, not one audit event each.</summary>
public sealed class HandshakeRefusalsTests
{
    [Fact]
    public void Refusals_WithinAMinute_AreOneReportPerSourceWithCountsPerReason()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var audit = new RecordedAudit();
        var log = new List<string>();
        var refusals = new HandshakeRefusals(Guid.CreateVersion7(), audit, clock, log.Add);

        for (var i = 0; i < 200; i++)
        {
            refusals.Add("192.0.2.66", i % 4 == 0 ? "TLS handshake: no viewer certificate" : "too many handshakes in progress from this source");
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }

        refusals.Add("192.0.2.7", "TLS handshake: no viewer certificate");
        refusals.Flush();
        Assert.Empty(audit.Events);

        clock.Advance(TimeSpan.FromSeconds(11));
        refusals.Flush();
        var flood = Assert.IsType<SessionHandshakesRefused>(Assert.Single(audit.Events));
        Assert.Equal(("192.0.2.66", 200), (flood.Source, flood.Count));
        Assert.Equal(50, flood.Reasons["TLS handshake: no viewer certificate"]);
        Assert.Equal(150, flood.Reasons["too many handshakes in progress from this source"]);
        Assert.Single(log, l => l.StartsWith("session from 192.0.2.66 refused", StringComparison.Ordinal));

        refusals.Flush(all: true);
        Assert.Equal(["192.0.2.66", "192.0.2.7"], audit.Events.OfType<SessionHandshakesRefused>().Select(e => e.Source));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
