using System.Collections.Concurrent;
using Npgsql;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// Wakes long-polling agents when their policy changes, across API processes: every transaction that appends
/// policy-relevant events also issues <c>pg_notify('control_policy', 'org:client')</c> (delivered only on commit), and
/// each API process LISTENs on one dedicated connection and completes the waiters it holds.
/// </summary>
public sealed class PolicyChangeNotifier(NpgsqlDataSource database, PolicySnapshots snapshots, ILogger<PolicyChangeNotifier> logger) : BackgroundService
{
    public const string Channel = "control_policy";
    public const string EveryClient = "*";

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, TaskCompletionSource>> _waiters = new();

    /// <summary>Subscribe before reading the current version, so a change committed in between is not missed.</summary>
    public Task Subscribe(string organization, Guid clientId)
    {
        var clients = _waiters.GetOrAdd(organization, _ => new ConcurrentDictionary<Guid, TaskCompletionSource>());
        return clients.GetOrAdd(clientId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    public void Signal(string organization, string client)
    {
        // Snapshots first, waiters second: a woken poll must not read the cache from before the change.
        snapshots.Invalidate(organization, client);
        if (!_waiters.TryGetValue(organization, out var clients))
        {
            return;
        }

        if (client == EveryClient)
        {
            foreach (var id in clients.Keys)
            {
                Complete(clients, id);
            }
        }
        else if (Guid.TryParse(client, out var id))
        {
            Complete(clients, id);
        }
    }

    private void SignalEveryone()
    {
        snapshots.InvalidateAll();
        foreach (var organization in _waiters.Keys)
        {
            Signal(organization, EveryClient);
        }
    }

    private static void Complete(ConcurrentDictionary<Guid, TaskCompletionSource> clients, Guid id)
    {
        if (clients.TryRemove(id, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    var separator = e.Payload.IndexOf(':', StringComparison.Ordinal);
                    if (separator > 0)
                    {
                        Signal(e.Payload[..separator], e.Payload[(separator + 1)..]);
                    }
                };
                await using (var listen = new NpgsqlCommand($"listen {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Anything committed while we were not listening: let every waiter re-check its version.
                SignalEveryone();
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Policy change listener lost PostgreSQL ({Message}); reconnecting in {Delay} ms", e.Message, delay.TotalMilliseconds);
                SignalEveryone();
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
