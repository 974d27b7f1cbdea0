using System.Collections.Concurrent;
using Control.Domain.Contracts;
using Marten;

namespace Control.Api.Features.Receipts;

/// <summary>
/// Records when each agent was last seen and which policy version it enforces (from its signed receipts) without a
/// database write per request: changes collect in memory and are written in one batch per organization every second.
/// A crash loses at most that second; the agent's next receipt (at its next policy) corrects it.
/// </summary>
public sealed class PresenceTracker : BackgroundService
{
    private readonly IDocumentStore store;
    private readonly ReceiptVerifier verifier;
    private readonly TimeProvider clock;
    private readonly ILogger<PresenceTracker> logger;

    public PresenceTracker(IDocumentStore store, ReceiptVerifier verifier, TimeProvider clock, ILogger<PresenceTracker> logger)
    {
        this.store = store;
        this.verifier = verifier;
        this.clock = clock;
        this.logger = logger;
        verifier.Verified += (organization, clientId, receipt, at) => Enforced(organization, clientId, receipt.Version, receipt.Signature, at);
    }

    private static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Organization, Guid Client), Update> _pending = new();

    // Taken from _pending by a flush and not yet committed: still "unwritten" for readers until the batch commits.
    private readonly ConcurrentDictionary<(string Organization, Guid Client), Update> _writing = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastSeenWritten = new();

    private sealed record Update(DateTimeOffset? SeenAt, string? SeenFrom, long? EnforcedVersion, DateTimeOffset? EnforcedAt, string? EnforcedSignature = null);

    public void Seen(string organization, Guid clientId, string from)
    {
        var now = clock.GetUtcNow();
        if (_lastSeenWritten.TryGetValue(clientId, out var last) && now - last < SeenResolution)
        {
            return;
        }

        _lastSeenWritten[clientId] = now;
        _pending.AddOrUpdate((organization, clientId), new Update(now, from, null, null), (_, u) => u with { SeenAt = now, SeenFrom = from });
    }

    /// <summary>When this process last saw the agent, if that is not yet written (the database has the rest).</summary>
    public DateTimeOffset? UnwrittenSeen(string organization, Guid clientId) => Later(
        _pending.TryGetValue((organization, clientId), out var pending) ? pending.SeenAt : null,
        _writing.TryGetValue((organization, clientId), out var writing) ? writing.SeenAt : null);

    /// <summary>A verified receipt: the agent enforces <paramref name="version"/> (its signature is kept as the proof).</summary>
    public void Enforced(string organization, Guid clientId, long version, string signature, DateTimeOffset? at = null)
    {
        var now = at ?? clock.GetUtcNow();
        _pending.AddOrUpdate(
            (organization, clientId),
            new Update(now, null, version, now, signature),
            (_, u) => version >= (u.EnforcedVersion ?? 0)
                ? u with { SeenAt = now, EnforcedVersion = version, EnforcedAt = now, EnforcedSignature = signature }
                : u with { SeenAt = now });
    }

    /// <summary>
    /// A receipt that came with a policy request: it counts from now, once <see cref="ReceiptVerifier"/> has checked its
    /// signature (off the request path, at low priority). One that does not verify is dropped and logged.
    /// </summary>
    public void Received(string organization, Guid clientId, PolicyAcknowledgement receipt) =>
        verifier.Add(organization, clientId, receipt, clock.GetUtcNow());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Flush(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush(cancellationToken);
    }

    private async Task Flush(CancellationToken cancellation)
    {
        try
        {
            foreach (var organization in _pending.Keys.Select(k => k.Organization).Distinct().ToList())
            {
                var updates = new Dictionary<Guid, Update>();
                foreach (var key in _pending.Keys.Where(k => k.Organization == organization))
                {
                    if (_pending.TryRemove(key, out var update))
                    {
                        updates[key.Client] = update;
                        _writing[key] = update;
                    }
                }

                try
                {
                    await Write(organization, updates, cancellation);
                }
                finally
                {
                    foreach (var (clientId, update) in updates)
                    {
                        _writing.TryRemove(KeyValuePair.Create((organization, clientId), update));
                    }
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Could not record agent presence: {Message}", e.Message);
        }
    }

    private async Task Write(string organization, Dictionary<Guid, Update> updates, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(organization);
        var existing = (await session.LoadManyAsync<ClientPresence>(cancellation, updates.Keys)).ToDictionary(p => p.Id);
        foreach (var (clientId, update) in updates)
        {
            var presence = existing.GetValueOrDefault(clientId) ?? new ClientPresence { Id = clientId };
            presence.LastSeenAt = Later(presence.LastSeenAt, update.SeenAt);
            presence.LastSeenFrom = update.SeenFrom ?? presence.LastSeenFrom;
            if (update.EnforcedVersion is { } version && version > (presence.EnforcedVersion ?? 0))
            {
                presence.EnforcedVersion = version;
                presence.EnforcedAt = update.EnforcedAt;
                presence.EnforcedSignature = update.EnforcedSignature;
            }

            session.Store(presence);
        }

        await session.SaveChangesAsync(cancellation);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
