using System.Collections.Concurrent;
using Control.Api.Features.Clients;
using Marten;

namespace Control.Api.Features.Agents;

/// <summary>
/// Records when each agent was last seen without a database write per poll: at most one write per client and
/// minute, batched in the background.
/// </summary>
public sealed class PresenceTracker(IDocumentStore store, TimeProvider clock, ILogger<PresenceTracker> logger) : BackgroundService
{
    private static readonly TimeSpan Resolution = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Organization, Guid Client), (DateTimeOffset At, string From)> _pending = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _written = new();

    public void Seen(string organization, Guid clientId, string from)
    {
        var now = clock.GetUtcNow();
        if (_written.TryGetValue(clientId, out var last) && now - last < Resolution)
        {
            return;
        }

        _written[clientId] = now;
        _pending[(organization, clientId)] = (now, from);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var group in _pending.Keys.GroupBy(k => k.Organization))
                {
                    await using var session = store.LightweightSession(group.Key);
                    foreach (var key in group)
                    {
                        if (_pending.TryRemove(key, out var seen))
                        {
                            var presence = await session.LoadAsync<ClientPresence>(key.Client, stoppingToken) ?? new ClientPresence { Id = key.Client };
                            presence.LastSeenAt = seen.At;
                            presence.LastSeenFrom = seen.From;
                            session.Store(presence);
                        }
                    }

                    await session.SaveChangesAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not record agent presence: {Message}", e.Message);
            }
        }
    }
}
