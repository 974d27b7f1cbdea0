using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using Control.Api.Features.Clients;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Control.Domain.Security;
using Marten;

namespace Control.Api.Features.Agents;

/// <summary>
/// Builds a client's signed policy from the event-sourced state. Client and organization snapshots are cached in
/// memory (one load in flight per key, however many requests want it) and dropped when PostgreSQL notifies a change
/// (see <see cref="PolicyChangeNotifier"/>), which also drops them all whenever its LISTEN connection is re-established;
/// a snapshot older than a few minutes is reloaded as a last resort against a notification lost some other way. (The
/// age limit must stay well above an agent's long-poll period, else every poll woken by an organization-wide change
/// finds its client snapshot expired and re-reads it from PostgreSQL.) Signing
/// keys are decrypted once per process; each signed part is cached per revision (see <see cref="Sign"/>). So when one
/// organization-wide change wakes thousands of agents, the database is read once and one part is signed for them all.
/// </summary>
public sealed class PolicyService
{
    private readonly IDocumentStore store;
    private readonly SecretProtector protector;
    private readonly TimeProvider clock;
    private readonly ServedPolicyParts served;

    public PolicyService(IDocumentStore store, SecretProtector protector, TimeProvider clock, PolicyInvalidations invalidations, ServedPolicyParts served)
    {
        this.store = store;
        this.protector = protector;
        this.clock = clock;
        this.served = served;
        invalidations.Changed += Invalidate;
        for (var i = 0; i < 2; i++)
        {
            _ = Task.Run(LoadClients);
        }
    }

    private static readonly TimeSpan MaxSnapshotAge = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, ECDsa> _signingKeys = new();
    private readonly ConcurrentDictionary<Guid, SignedPart> _clientParts = new();
    private readonly ConcurrentDictionary<Guid, SignedPart> _organizationParts = new();
    private readonly ConcurrentDictionary<(string Organization, Guid Id), Snapshot<Client>> _clients = new();
    private readonly ConcurrentDictionary<string, Snapshot<Organization>> _organizations = new();
    private readonly ConcurrentDictionary<string, ECDsa> _clientKeys = new();

    private sealed record Snapshot<T>(Task<T?> Value, long LoadedAt);

    /// <summary>The client's current state (cached; see the class remarks). Also used to check agent credentials.</summary>
    public Task<Client?> Client(string organization, Guid clientId) =>
        Cached(_clients, (organization, clientId), () =>
        {
            var load = new ClientLoad(organization, clientId, new TaskCompletionSource<Client?>(TaskCreationOptions.RunContinuationsAsynchronously));
            _loads.Writer.TryWrite(load);
            return load.Done.Task;
        });

    /// <summary>A client snapshot someone waits for: loads are batched (one query for many clients).</summary>
    private sealed record ClientLoad(string Organization, Guid Id, TaskCompletionSource<Client?> Done);

    private const int LoadBatch = 500;
    private readonly Channel<ClientLoad> _loads = Channel.CreateUnbounded<ClientLoad>();

    /// <summary>
    /// When a change touches thousands of clients at once (an offboarding removes a person from every ACL), every woken
    /// agent needs its client's new snapshot: loading them a batch per query instead of a query each keeps PostgreSQL and
    /// this process from drowning in round trips just when the agents' policies are due.
    /// </summary>
    private async Task LoadClients()
    {
        while (await _loads.Reader.WaitToReadAsync())
        {
            var batch = new List<ClientLoad>();
            while (batch.Count < LoadBatch && _loads.Reader.TryRead(out var load))
            {
                batch.Add(load);
            }

            foreach (var organization in batch.GroupBy(l => l.Organization))
            {
                try
                {
                    await using var session = store.QuerySession(organization.Key);
                    var found = (await session.LoadManyAsync<Client>(organization.Select(l => l.Id).Distinct())).ToDictionary(c => c.Id);
                    foreach (var load in organization)
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
                    foreach (var load in organization)
                    {
                        load.Done.TrySetException(e);
                    }
                }
            }
        }
    }

    public async Task<SignedPolicyDocument?> Current(string organization, Guid clientId)
    {
        var client = await Client(organization, clientId);
        if (client is null)
        {
            return null;
        }

        var owner = await Cached(_organizations, organization, async () =>
        {
            await using var session = store.QuerySession(organization);
            return await session.LoadAsync<Organization>(client.OrganizationId);
        });
        return Sign(client, owner!);
    }

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
    /// The client's policy: its own signed part and its organization's, each signed once per revision however many
    /// requests want it (the first one signs, the others wait for that), so an organization-wide change costs one
    /// signature, not one per client.
    /// </summary>
    public SignedPolicyDocument Sign(Client client, Organization organization) => new(
        client.PolicyRevision + organization.PolicyRevision,
        Cached(_clientParts, client.Id, client.PolicyRevision) ?? SignedOnce(_clientParts, client.Id, client.PolicyRevision, () => SignClientPart(client, organization)),
        OrganizationPart(organization));

    private byte[] OrganizationPart(Organization organization) =>
        Cached(_organizationParts, organization.Id, organization.PolicyRevision)
        ?? SignedOnce(_organizationParts, organization.Id, organization.PolicyRevision, () => SignOrganizationPart(organization));

    /// <summary>The part of this revision when it is signed already (the usual case: no closure, no lock).</summary>
    private static byte[]? Cached(ConcurrentDictionary<Guid, SignedPart> parts, Guid key, long revision) =>
        parts.TryGetValue(key, out var part) && part.Revision == revision && part.Json.IsValueCreated ? part.Json.Value : null;

    private byte[] SignClientPart(Client client, Organization organization)
    {
        string? encryptedTotp = null;
        if (client.TwoFactor is { Enabled: true, ProtectedSecret: { } protectedSecret })
        {
            var seed = protector.Unprotect(protectedSecret, ClientTwoFactorSecrets.Purpose(client.Id));
            encryptedTotp = PolicySecrets.EncryptFor(client.PublicKey, seed, PolicySecrets.TotpContext(client.Id));
        }

        var part = PolicyComposer.ComposeClientPart(client, organization.Slug, encryptedTotp, clock.GetUtcNow());
        var canonical = PolicySignature.CanonicalBytes(part);
        served.Record(client.Id, part.Revision, canonical);
        return SignedPolicyDocument.Part(part, canonical, organization, this);
    }

    private byte[] SignOrganizationPart(Organization organization)
    {
        // Revoked serials whose certificate has expired anyway are left out, so the list does not grow for ever.
        var now = clock.GetUtcNow();
        var context = new OrganizationPolicyContext(
            organization.Slug, Licensed: true, organization.PolicyRevision, organization.AclEntries, organization.ViewerCa?.Certificate,
            organization.RevokedViewerSerials(now), organization.SessionSettings);
        var part = PolicyComposer.ComposeOrganizationPart(context, now);
        var canonical = PolicySignature.CanonicalBytes(part);
        served.Record(organization.Id, part.Revision, canonical);
        return SignedPolicyDocument.Part(part, canonical, organization, this);
    }

    private sealed record SignedPart(long Revision, Lazy<byte[]> Json);

    /// <summary>The part signed for this revision, signing it when nobody has yet (one signer; concurrent callers wait).</summary>
    private static byte[] SignedOnce(ConcurrentDictionary<Guid, SignedPart> parts, Guid key, long revision, Func<byte[]> sign)
    {
        while (true)
        {
            if (parts.TryGetValue(key, out var known) && known.Revision >= revision)
            {
                // A request holding an older snapshot than the cache's signs its own part rather than evict the newer one.
                return known.Revision == revision ? Value(parts, key, known) : sign();
            }

            var fresh = new SignedPart(revision, new Lazy<byte[]>(sign, LazyThreadSafetyMode.ExecutionAndPublication));
            if (known is null ? parts.TryAdd(key, fresh) : parts.TryUpdate(key, fresh, known))
            {
                return Value(parts, key, fresh);
            }
        }
    }

    private static byte[] Value(ConcurrentDictionary<Guid, SignedPart> parts, Guid key, SignedPart part)
    {
        try
        {
            return part.Json.Value;
        }
        catch
        {
            // Lazy keeps an exception for ever: let the next request try again.
            parts.TryRemove(KeyValuePair.Create(key, part));
            throw;
        }
    }

    /// <summary>The organization's policy key, which also signs its audit anchors.</summary>
    public ECDsa SigningKey(Organization organization) => SigningKey(organization.Id, organization.SigningKey!);

    private ECDsa SigningKey(Guid organizationId, PolicySigningKey key) => _signingKeys.GetOrAdd(key.KeyId, _ =>
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(key.ProtectedPrivateKey, OrganizationFounding.SigningKeyPurpose(organizationId)), out int _);
        return ecdsa;
    });
}

/// <summary>
/// A client's policy as <c>GET /agent/policy</c> sends it: <c>{"client":PART,"organization":PART}</c>, where each PART is
/// <c>{"policy":CANONICAL,"signature":…,"keyId":…}</c>, serialized once when signed. The body is the two cached parts
/// written one after the other, so answering a woken agent copies bytes and computes nothing.
/// </summary>
public sealed record SignedPolicyDocument(long Version, byte[] ClientPart, byte[] OrganizationPart)
{
    private static readonly byte[] Start = "{\"client\":"u8.ToArray();
    private static readonly byte[] Middle = ",\"organization\":"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();

    public long Length => Start.Length + ClientPart.Length + Middle.Length + OrganizationPart.Length + End.Length;

    public void WriteTo(IBufferWriter<byte> output)
    {
        output.Write(Start);
        output.Write(ClientPart);
        output.Write(Middle);
        output.Write(OrganizationPart);
        output.Write(End);
    }

    /// <summary>A signed part: the canonical JSON that was signed as its policy (any member order is valid JSON for the agent).</summary>
    internal static byte[] Part<T>(T part, byte[] canonical, Organization organization, PolicyService policies)
        where T : class
    {
        var signed = PolicySignature.Sign(part, canonical, policies.SigningKey(organization), organization.SigningKey!.KeyId);
        var body = new ArrayBufferWriter<byte>(canonical.Length + 256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("policy");
            writer.WriteRawValue(canonical, skipInputValidation: true);
            writer.WriteString("signature", signed.Signature);
            writer.WriteString("keyId", signed.KeyId);
            writer.WriteEndObject();
        }

        return body.WrittenSpan.ToArray();
    }
}
