using System.Collections.Concurrent;
using System.Security.Cryptography;
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
/// memory and dropped when PostgreSQL notifies a change (see <see cref="PolicyChangeNotifier"/>); signing keys are
/// decrypted once per process; the signed document is cached per (client, version). So when one organization-wide
/// change wakes thousands of agents, the database is read once and each agent costs one signature.
/// </summary>
public sealed class PolicyService(SecretProtector protector, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ECDsa> _signingKeys = new();
    private readonly ConcurrentDictionary<Guid, SignedPolicy> _latest = new();
    private readonly ConcurrentDictionary<Guid, Client> _clients = new();
    private readonly ConcurrentDictionary<string, Organization> _organizations = new();

    // Bumped by every invalidation: a snapshot loaded while one happened is not cached (it may predate the change).
    private long _invalidations;

    public async Task<SignedPolicy?> Current(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var generation = Interlocked.Read(ref _invalidations);
        if (!_clients.TryGetValue(clientId, out var client))
        {
            client = await session.LoadAsync<Client>(clientId, cancellation);
            if (client is null)
            {
                return null;
            }

            Remember(_clients, clientId, client, generation);
        }

        if (!_organizations.TryGetValue(client.OrganizationSlug, out var organization))
        {
            organization = (await session.LoadAsync<Organization>(client.OrganizationId, cancellation))!;
            Remember(_organizations, client.OrganizationSlug, organization, generation);
        }

        return Sign(client, organization);
    }

    /// <summary>A change was committed: forget the snapshots it touched ("*" = the organization itself).</summary>
    public void Invalidate(string organization, string client)
    {
        Interlocked.Increment(ref _invalidations);
        if (client == PolicyChangeNotifier.EveryClient)
        {
            _organizations.TryRemove(organization, out _);
        }
        else if (Guid.TryParse(client, out var id))
        {
            _clients.TryRemove(id, out _);
        }
    }

    public void InvalidateAll()
    {
        Interlocked.Increment(ref _invalidations);
        _clients.Clear();
        _organizations.Clear();
    }

    private void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> cache, TKey key, TValue value, long generation) where TKey : notnull
    {
        if (Interlocked.Read(ref _invalidations) == generation)
        {
            cache[key] = value;
        }
    }

    public SignedPolicy Sign(Client client, Organization organization)
    {
        var version = client.PolicyRevision + organization.PolicyRevision;
        if (_latest.TryGetValue(client.Id, out var cached) && cached.Policy.Version == version)
        {
            return cached;
        }

        string? encryptedTotp = null;
        if (client.TwoFactor is { Enabled: true, ProtectedSecret: { } protectedSecret })
        {
            var seed = protector.Unprotect(protectedSecret, ClientTwoFactorSecrets.Purpose(client.Id));
            encryptedTotp = PolicySecrets.EncryptFor(client.PublicKey, seed, PolicySecrets.TotpContext(client.Id));
        }

        var context = new OrganizationPolicyContext(
            organization.Slug, Licensed: true, organization.PolicyRevision, organization.AclEntries, ViewerCa: null, RevokedViewerSerials: []);
        var policy = PolicyComposer.Compose(client, context, encryptedTotp, clock.GetUtcNow());
        var key = organization.SigningKey!;
        var signed = PolicySignature.Sign(policy, SigningKey(organization.Id, key), key.KeyId);
        _latest[client.Id] = signed;
        return signed;
    }

    private ECDsa SigningKey(Guid organizationId, PolicySigningKey key) => _signingKeys.GetOrAdd(key.KeyId, _ =>
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(protector.Unprotect(key.ProtectedPrivateKey, OrganizationFounding.SigningKeyPurpose(organizationId)), out int _);
        return ecdsa;
    });
}
