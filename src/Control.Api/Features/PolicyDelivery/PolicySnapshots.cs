using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Control.Domain.Clients;
using Control.Domain.Organizations;
using Control.Domain.Security;
using Marten;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// Client and organization snapshots for the policy pipeline, cached in memory (one load in flight per key, however many
/// requests want it) and dropped when PostgreSQL notifies a change (see <see cref="PolicyChangeNotifier"/>), which also
/// drops them all whenever its LISTEN connection is re-established; a snapshot older than a few minutes is reloaded as a
/// last resort against a notification lost some other way. (The age limit must stay well above an agent's long-poll
/// period, else every poll woken by an organization-wide change finds its client snapshot expired and re-reads it from
/// PostgreSQL.) So when one organization-wide change wakes thousands of agents, the database is read once for them all.
/// Client loads are batched by the loaders this hosted service runs.
/// </summary>
public sealed class PolicySnapshots : BackgroundService
{
    private const int Loaders = 2;
    private const int LoadBatch = 500;
    private static readonly TimeSpan MaxSnapshotAge = TimeSpan.FromMinutes(5);

    private readonly IDocumentStore store;
    private readonly TimeProvider clock;
    private readonly ConcurrentDictionary<(string Organization, Guid Id), Snapshot<Client>> _clients = new();
    private readonly ConcurrentDictionary<string, Snapshot<Organization>> _organizations = new();
    private readonly ConcurrentDictionary<string, ECDsa> _clientKeys = new();
    private readonly Channel<ClientLoad> _loads = Channel.CreateUnbounded<ClientLoad>();

    public PolicySnapshots(IDocumentStore store, TimeProvider clock, PolicyInvalidations invalidations)
    {
        this.store = store;
        this.clock = clock;
        invalidations.Changed += Invalidate;
    }

    private sealed record Snapshot<T>(Task<T?> Value, long LoadedAt);

    /// <summary>A client snapshot someone waits for: loads are batched (one query for many clients).</summary>
    private sealed record ClientLoad(string Organization, Guid Id, TaskCompletionSource<Client?> Done);

    /// <summary>The client's current state (cached; see the class remarks). Also used to check agent credentials.</summary>
    public Task<Client?> Client(string organization, Guid clientId) =>
        Cached(_clients, (organization, clientId), () =>
        {
            var load = new ClientLoad(organization, clientId, new TaskCompletionSource<Client?>(TaskCreationOptions.RunContinuationsAsynchronously));
            _loads.Writer.TryWrite(load);
            return load.Done.Task;
        });

    /// <summary>The organization's current state (cached; see the class remarks).</summary>
    public Task<Organization?> Organization(string organization, Guid organizationId) =>
        Cached(_organizations, organization, async () =>
        {
            await using var session = store.QuerySession(organization);
            return await session.LoadAsync<Organization>(organizationId);
        });

    /// <summary>The client's enrolment public key, imported once (importing costs more than verifying a signature).</summary>
    public ECDsa PublicKey(Client client) => _clientKeys.GetOrAdd(client.PublicKey, PolicySignature.ImportPublicKey);

    /// <summary>A change was committed: forget the snapshots it touched ("*" = the organization itself).</summary>
    public void Invalidate(string organization, string client)
    {
        if (client == PolicyChangeNotifier.EveryClient)
        {
            _organizations.TryRemove(organization, out _);
        }
        else if (Guid.TryParse(client, out var id))
        {
            _clients.TryRemove((organization, id), out _);
        }
    }

    public void InvalidateAll()
    {
        _clients.Clear();
        _organizations.Clear();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Loaders).Select(_ => Task.Run(() => LoadClients(stoppingToken), stoppingToken)));

    private Task<T?> Cached<TKey, T>(ConcurrentDictionary<TKey, Snapshot<T>> cache, TKey key, Func<Task<T?>> load) where TKey : notnull
    {
        var now = clock.GetTimestamp();
        var snapshot = cache.GetOrAdd(key, _ => new Snapshot<T>(load(), now));
        if (snapshot.Value.IsFaulted || snapshot.Value.IsCanceled || clock.GetElapsedTime(snapshot.LoadedAt) > MaxSnapshotAge)
        {
            var fresh = new Snapshot<T>(load(), now);
            cache.AddOrUpdate(key, fresh, (_, existing) => ReferenceEquals(existing, snapshot) ? fresh : existing);
            return cache.TryGetValue(key, out var current) ? current.Value : fresh.Value;
        }

        return snapshot.Value;
    }

    /// <summary>
    /// When a change touches thousands of clients at once (an offboarding removes a person from every ACL), every woken
    /// agent needs its client's new snapshot: loading them a batch per query instead of a query each keeps PostgreSQL and
    /// this process from drowning in round trips just when the agents' policies are due.
    /// </summary>
    private async Task LoadClients(CancellationToken stoppingToken)
    {
        try
        {
            while (await _loads.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<ClientLoad>();
                while (batch.Count < LoadBatch && _loads.Reader.TryRead(out var load))
                {
                    batch.Add(load);
                }

                foreach (var organization in batch.GroupBy(l => l.Organization))
                {
                    await Load(organization.Key, organization);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task Load(string organization, IEnumerable<ClientLoad> loads)
    {
        try
        {
            await using var session = store.QuerySession(organization);
            var found = (await session.LoadManyAsync<Client>(loads.Select(l => l.Id).Distinct())).ToDictionary(c => c.Id);
            foreach (var load in loads)
            {
                var client = found.GetValueOrDefault(load.Id);
                if (client is not null)
                {
                    // Importing a P-256 key validates the point (~0.3 ms): do it with the load, not on the first receipt,
                    // which after an organization-wide change arrives together with thousands of others.
                    PublicKey(client);
                }

                load.Done.TrySetResult(client);
            }
        }
        catch (Exception e)
        {
            foreach (var load in loads)
            {
                load.Done.TrySetException(e);
            }
        }
    }
}
