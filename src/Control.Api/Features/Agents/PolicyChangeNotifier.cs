using System.Collections.Concurrent;
using Control.Domain.Clients;
using Control.Domain.Organizations;
using JasperFx.Events;
using Marten;
using Marten.Services;
using Npgsql;

namespace Control.Api.Features.Agents;

/// <summary>
/// Wakes long-polling agents when their policy changes, across API processes: every transaction that appends
/// policy-relevant events also issues <c>pg_notify('control_policy', 'org:client')</c> (delivered only on commit), and
/// each API process LISTENs on one dedicated connection and completes the waiters it holds.
/// </summary>
public sealed class PolicyChangeNotifier(NpgsqlDataSource database, PolicyService policies, ILogger<PolicyChangeNotifier> logger) : BackgroundService
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
        policies.Invalidate(organization, client);
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
        policies.InvalidateAll();
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

/// <summary>
/// Adds the pg_notify to every transaction that changes a client's or an organization's policy, and after the commit
/// drops this process's cached snapshots at once (read-your-writes here; other processes learn it from the notification).
/// </summary>
public sealed class PolicyChangeSessionListener(PolicyInvalidations invalidations) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        // One statement however many clients change (an offboarding changes thousands in one transaction): a statement
        // each cost PostgreSQL a parse and a plan per client, inside the transaction that holds up their new policies.
        var payloads = Targets(session.PendingChanges.Streams()).Select(target => $"{session.TenantId}:{target}").ToArray();
        if (payloads.Length > 0)
        {
            session.QueueSqlCommand($"select pg_notify('{PolicyChangeNotifier.Channel}', payload) from unnest(?::text[]) as payload", new object[] { payloads });
        }

        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var target in Targets(commit.GetStreams()))
        {
            invalidations.Committed(session.TenantId, target);
        }

        return Task.CompletedTask;
    }

    private static IEnumerable<string> Targets(IEnumerable<StreamAction> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.Events.Any(e => e.Data.GetType().Namespace == typeof(Client).Namespace && e.Data is not ClientTagsSet))
            {
                yield return stream.Id.ToString();
            }
            else if (stream.Events.Any(e => e.Data is PolicySigningKeyCreated or OrganizationAclEntryAdded or OrganizationAclEntryRemoved
                         or ViewerCaCreated or ViewerCertificatesRevoked or OrganizationSessionSettingsChanged))
            {
                yield return PolicyChangeNotifier.EveryClient;
            }
        }
    }
}

/// <summary>Hands committed policy changes from the event store's listener (built with the store) to the policy cache.</summary>
public sealed class PolicyInvalidations
{
    public event Action<string, string>? Changed;

    public void Committed(string organization, string target) => Changed?.Invoke(organization, target);
}
