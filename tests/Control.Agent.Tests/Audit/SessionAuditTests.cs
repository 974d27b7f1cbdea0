using System.Net;
using System.Security.Cryptography;
using System.Text;
using Control.Agent.Audit;
using Control.Agent.Server;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Sessions;

namespace Control.Agent.Tests.Audit;

/// <summary>The durable session-event queue and its sender: nothing recorded is lost, nothing acknowledged is resent.</summary>
public sealed class SessionAuditTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"control-audit-test-{Guid.NewGuid():N}");
    private readonly List<string> _log = [];
    private readonly Guid _clientId = Guid.CreateVersion7();

    private string Events => Path.Combine(_root, "session-events");

    private string Recordings => Path.Combine(_root, "pending-recordings");

    [Fact]
    public void Queue_NewQueueOverTheSameDirectory_StillHasEverythingPending()
    {
        var sessions = Enumerable.Range(0, 5).Select(_ => Guid.CreateVersion7()).ToList();
        using (var queue = NewQueue())
        {
            foreach (var session in sessions)
            {
                queue.Record(Requested(session));
            }
        }

        using var restarted = NewQueue();
        var pending = restarted.Pending(200);

        Assert.Equal(sessions, pending.Events.Select(e => e.Event.GetProperty("sessionId").GetGuid()));
        Assert.All(pending.Events, e => Assert.Equal(nameof(SessionRequested), e.Type));
        Assert.Equal(5, pending.Events.Select(e => e.Id).Distinct().Count());
        Assert.All(Directory.EnumerateFiles(Events), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public void Queue_SessionLeftOpenByAKilledAgent_IsClosedByTheAgentOnceAtTheNextStart()
    {
        var interrupted = Guid.CreateVersion7();
        var finished = Guid.CreateVersion7();
        var admittedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var lastActive = admittedAt.AddMinutes(3);
        using (var queue = NewQueue())
        {
            queue.Record(new SessionAuthenticated(finished, _clientId, "bob@acme", ["access control list"], null, admittedAt));
            queue.Record(new SessionClosed(finished, _clientId, "viewer", null, 1000, 1, 2, admittedAt.AddSeconds(1)));
            queue.Record(new SessionAuthenticated(interrupted, _clientId, "alice@acme", ["access control list"], null, admittedAt));
            queue.Record(new SessionChannelOpened(interrupted, _clientId, "shell", "bash", null, lastActive));

            // The agent is killed here: no SessionClosed for alice's session.
        }

        Assert.Equal([$"{interrupted}.json"], Directory.GetFiles(OpenSessions).Select(Path.GetFileName));
        using (var restarted = NewQueue())
        {
            Assert.Equal(1, restarted.CloseInterruptedSessions(DateTimeOffset.UtcNow));
            Assert.Equal(0, restarted.CloseInterruptedSessions(DateTimeOffset.UtcNow));
        }

        using var again = NewQueue();
        Assert.Equal(0, again.CloseInterruptedSessions(DateTimeOffset.UtcNow));
        var closes = again.Pending(200).Events.Where(e => e.Type == nameof(SessionClosed)).ToList();
        Assert.Equal(2, closes.Count);
        var close = closes[1].Event;
        Assert.Equal(interrupted, close.GetProperty("sessionId").GetGuid());
        Assert.Equal("agent", close.GetProperty("endedBy").GetString());
        Assert.Equal(lastActive.ToUnixTimeSeconds(), close.GetProperty("at").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(180_000, close.GetProperty("durationMilliseconds").GetInt64(), tolerance: 1000);
        Assert.Empty(Directory.GetFiles(OpenSessions));
    }

    [Fact]
    public void Queue_TornLastLine_IsSkippedAndTheRestIsPending()
    {
        var first = Guid.CreateVersion7();
        using (var queue = NewQueue())
        {
            queue.Record(Requested(first));
        }

        // The agent was killed half-way through writing the next line.
        var segment = Assert.Single(Directory.GetFiles(Events, "*.jsonl"));
        File.AppendAllText(segment, "{\"id\":\"0197f0a0-0000-7000-8000-00000000000");

        using var restarted = NewQueue();
        var later = Guid.CreateVersion7();
        restarted.Record(Requested(later));
        var pending = restarted.Pending(200);

        Assert.Equal([first, later], pending.Events.Select(e => e.Event.GetProperty("sessionId").GetGuid()));
        Assert.Contains(_log, l => l.Contains("torn last line", StringComparison.Ordinal));
        restarted.Acknowledge(pending);
        Assert.Empty(restarted.Pending(200).Events);
        Assert.Empty(Directory.GetFiles(Events, "*.jsonl"));
    }

    [Fact]
    public void Queue_AcknowledgedEvents_AreNotPendingAgainEvenAfterARestart()
    {
        using (var queue = NewQueue())
        {
            for (var i = 0; i < 5; i++)
            {
                queue.Record(Requested(Guid.CreateVersion7()));
            }

            var firstThree = queue.Pending(3);
            Assert.Equal(3, firstThree.Events.Count);
            queue.Acknowledge(firstThree);
            queue.Record(Requested(Guid.CreateVersion7()));
        }

        using var restarted = NewQueue();
        var rest = restarted.Pending(200);
        Assert.Equal(3, rest.Events.Count);
        restarted.Acknowledge(rest);
        Assert.True(restarted.Pending(200).IsEmpty);
    }

    [Fact]
    public async Task Sender_ApiFailsTheFirstPosts_EveryEventArrivesInOrderAndOnlyUnacknowledgedBatchesAreRepeated()
    {
        using var api = new FakeControlApi(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        api.FailSessionEventPosts = 3;
        using var queue = NewQueue();
        var recorded = new List<Guid>();
        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 150; i++)
            {
                var session = Guid.CreateVersion7();
                lock (recorded)
                {
                    queue.Record(Requested(session));
                    recorded.Add(session);
                }
            }
        })).ToList();

        using var client = new AgentApi(new Uri(api.Url + "/"), api.Credential);
        using var stop = new CancellationTokenSource();
        var sender = new SessionAuditSender(queue, client, TextWriter.Null, FastBackoff()).RunAsync(stop.Token);
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));

        // The fake records a post before its answer reaches the sender: wait until the sender has taken the last answer too
        // (it deletes a segment once all of it is acknowledged; the queue itself has one reader, the sender).
        await Eventually.Until(
            () => api.SessionEventPosts.Where(p => p.Answer == HttpStatusCode.OK).Sum(p => p.Batch.Events!.Count) >= 600
                && Directory.GetFiles(Events, "*.jsonl").Length == 0,
            "600 acknowledged events and no segment left", context: () => $"the fake saw {api.SessionEventPosts.Count} posts");
        await stop.CancelAsync();
        await sender.WaitAsync(TimeSpan.FromSeconds(10));

        var posts = api.SessionEventPosts;
        var delivered = posts.Where(p => p.Answer == HttpStatusCode.OK).SelectMany(p => p.Batch.Events!).ToList();
        Assert.Equal(recorded, delivered.Select(e => e.Event.GetProperty("sessionId").GetGuid()));
        Assert.Equal(600, delivered.Select(e => e.Id).Distinct().Count());
        Assert.All(posts, p => Assert.InRange(p.Batch.Events!.Count, 1, 200));

        // Failed posts were repeated, and nothing the fake acknowledged was ever sent again.
        Assert.Equal(3, posts.Count(p => p.Answer == HttpStatusCode.ServiceUnavailable));
        var failedIds = posts.Where(p => p.Answer != HttpStatusCode.OK).SelectMany(p => p.Batch.Events!.Select(e => e.Id)).ToHashSet();
        var seen = new HashSet<Guid>();
        foreach (var id in posts.SelectMany(p => p.Batch.Events!.Select(e => e.Id)))
        {
            Assert.True(seen.Add(id) || failedIds.Contains(id), $"event {id} was sent again after it was acknowledged");
        }

        Assert.True(queue.Pending(200).IsEmpty);
        Assert.Empty(Directory.GetFiles(Events, "*.jsonl"));
    }

    [Fact]
    public async Task Sender_AgentRestartedBeforeDelivery_SendsWhatTheEarlierProcessRecorded()
    {
        using var api = new FakeControlApi(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var session = Guid.CreateVersion7();
        using (var before = NewQueue())
        {
            before.Record(Requested(session));
            before.Record(new SessionClosed(session, _clientId, "viewer", null, 1200, 10, 20, DateTimeOffset.UtcNow));
        }

        using var queue = NewQueue();
        using var client = new AgentApi(new Uri(api.Url + "/"), api.Credential);
        using var stop = new CancellationTokenSource();
        var sender = new SessionAuditSender(queue, client, TextWriter.Null, FastBackoff()).RunAsync(stop.Token);
        await Eventually.Until(() => api.SessionEventPosts.Any(p => p.Answer == HttpStatusCode.OK), "a delivered batch");
        await stop.CancelAsync();
        await sender.WaitAsync(TimeSpan.FromSeconds(10));

        var batch = Assert.Single(api.SessionEventPosts).Batch;
        Assert.Equal([nameof(SessionRequested), nameof(SessionClosed)], batch.Events!.Select(e => e.Type));
    }

    [Fact]
    public async Task Sender_SealedRecordingPart_IsUploadedAfterRetriesAndTheLocalCopyDeleted()
    {
        using var api = new FakeControlApi(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        api.FailSessionEventPosts = 2;
        using var queue = NewQueue();
        var session = Guid.CreateVersion7();
        var cast = Path.Combine(Directory.CreateDirectory(Path.Combine(_root, "recordings")).FullName, $"{session}.000000.cast-part");
        var content = Encoding.UTF8.GetBytes("{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\",\"hello\\r\\n\"]\n");
        File.WriteAllBytes(cast, content);
        queue.RecordingPartSealed(session, 0, cast);

        using var client = new AgentApi(new Uri(api.Url + "/"), api.Credential);
        using var stop = new CancellationTokenSource();
        var sender = new SessionAuditSender(queue, client, TextWriter.Null, FastBackoff()).RunAsync(stop.Token);
        await Eventually.Until(() => !File.Exists(cast), "the uploaded recording to be deleted locally");
        await stop.CancelAsync();
        await sender.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(content, api.Recordings[(session, 0)]);
        Assert.Empty(Directory.GetFiles(Recordings));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string OpenSessions => Path.Combine(_root, "open-sessions");

    private SessionEventQueue NewQueue() => new(Events, Recordings, OpenSessions, line =>
    {
        lock (_log)
        {
            _log.Add(line);
        }
    });

    private static Backoff FastBackoff() => new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), new Random(1));

    private SessionRequested Requested(Guid session) =>
        new(session, _clientId, "alice@acme", "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 42", DateTimeOffset.UtcNow);
}
