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
/// Builds a client's signed policy from the event-sourced state. Signing keys are decrypted once per process, and the
/// signed document is cached per (client, version), so thousands of agents waking at once cost one signature each.
/// </summary>
public sealed class PolicyService(SecretProtector protector, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ECDsa> _signingKeys = new();
    private readonly ConcurrentDictionary<Guid, SignedPolicy> _latest = new();

    public async Task<SignedPolicy?> Current(IQuerySession session, Guid clientId, CancellationToken cancellation)
    {
        var client = await session.LoadAsync<Client>(clientId, cancellation);
        if (client is null)
        {
            return null;
        }

        var organization = await session.LoadAsync<Organization>(client.OrganizationId, cancellation);
        return Sign(client, organization!);
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

        var context = new OrganizationPolicyContext(organization.Slug, Licensed: true, organization.PolicyRevision, ViewerCa: null, RevokedViewerSerials: []);
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
