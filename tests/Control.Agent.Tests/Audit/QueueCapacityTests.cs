using Control.Agent.Audit;
using Control.Domain.Sessions;

namespace Control.Agent.Tests.Audit;

/// <summary>The session audit queue is bounded: refusal reports go first, then new sessions; an admitted session's facts never.</summary>
public sealed class QueueCapacityTests : IDisposable
{
    private const long MaxBytes = 8 * 1024;
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"control-queue-test-{Guid.NewGuid():N}");
    private readonly List<string> _log = [];
    private readonly Guid _client = Guid.CreateVersion7();

    [Fact]
    public void Queue_Filling_DropsRefusalReportsFirstThenRefusesNewSessionsAndKeepsEveryFactOfAnAdmittedSession()
    {
        using var queue = NewQueue();
        var admitted = Guid.CreateVersion7();
        queue.Record(Requested(admitted));
        queue.Record(new SessionAuthenticated(admitted, _client, "alice@acme", ["acl"], null, T0));

        var refusals = 0;
        while (Pending(queue).Count(e => e.Type == nameof(SessionHandshakesRefused)) == refusals)
        {
            queue.Record(Refused());
            refusals++;
        }

        refusals = Pending(queue).Count(e => e.Type == nameof(SessionHandshakesRefused));
        queue.Record(Refused());
        Assert.Equal(refusals, Pending(queue).Count(e => e.Type == nameof(SessionHandshakesRefused)));
        Assert.True(queue.AcceptsNewSessions, "refusal reports stop before new sessions do");

        var requested = 0;
        while (queue.AcceptsNewSessions)
        {
            queue.Record(Requested(Guid.CreateVersion7()));
            requested++;
        }

        Assert.Throws<QueueFullException>(() => queue.Record(Requested(Guid.CreateVersion7())));
        queue.Record(new SessionChannelOpened(admitted, _client, "shell", "/bin/sh", null, T0.AddSeconds(1)));
        queue.Record(new SessionClosed(admitted, _client, "viewer", null, 2000, 10, 20, T0.AddSeconds(2)));

        var pending = queue.Pending(10_000);
        Assert.Equal(requested + 1, pending.Events.Count(e => e.Type == nameof(SessionRequested)));
        Assert.Equal(
            [nameof(SessionRequested), nameof(SessionAuthenticated), nameof(SessionChannelOpened), nameof(SessionClosed)],
            pending.Events.Where(e => e.Event.GetProperty("sessionId").GetGuid() == admitted).Select(e => e.Type));

        queue.Acknowledge(pending);
        Assert.True(queue.AcceptsNewSessions, "a drained queue takes new sessions again");
        queue.Record(Requested(Guid.CreateVersion7()));
    }

    [Fact]
    public void Queue_RestartedOverAFullDirectory_StillRefusesNewSessions()
    {
        using (var queue = NewQueue())
        {
            while (queue.AcceptsNewSessions)
            {
                queue.Record(Requested(Guid.CreateVersion7()));
            }
        }

        using var again = NewQueue();
        Assert.False(again.AcceptsNewSessions);
        Assert.Throws<QueueFullException>(() => again.Record(Requested(Guid.CreateVersion7())));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private SessionEventQueue NewQueue() => new(
        Path.Combine(_root, "session-events"), Path.Combine(_root, "pending-recordings"), Path.Combine(_root, "open-sessions"), _log.Add, MaxBytes);

    private static IReadOnlyList<Control.Domain.Contracts.AgentSessionEvent> Pending(SessionEventQueue queue) => queue.Pending(10_000).Events;

    private SessionRequested Requested(Guid session) =>
        new(session, _client, "alice@acme", "01", "192.0.2.1", "Tls13", "TLS_AES_256_GCM_SHA384", null, T0);

    private SessionHandshakesRefused Refused() => new(
        Guid.CreateVersion7(), _client, "192.0.2.66", 3, new Dictionary<string, int> { ["TLS handshake: no viewer certificate"] = 3 }, T0, T0.AddMinutes(1));
}
