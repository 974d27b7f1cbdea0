using System.Collections.Concurrent;
using System.Security.Cryptography;
using Control.Api.Features.Clients;
using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Organizations;
using Control.Domain.Security;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// Signs a client's policy from its snapshots (<see cref="PolicySnapshots"/>): its own part and its organization's, each
/// signed once per revision however many requests want it (the first one signs, the others wait for that), so an
/// organization-wide change costs one signature, not one per client. Signing keys are decrypted once per process.
/// </summary>
public sealed class PolicySigner(SecretProtector protector, TimeProvider clock, ServedPolicyParts served)
{
    private readonly ConcurrentDictionary<string, ECDsa> _signingKeys = new();
    private readonly ConcurrentDictionary<Guid, SignedPart> _clientParts = new();
    private readonly ConcurrentDictionary<Guid, SignedPart> _organizationParts = new();

    private sealed record SignedPart(long Revision, Lazy<byte[]> Json);

    public SignedPolicyDocument Sign(Client client, Organization organization) => new(
        client.PolicyRevision + organization.PolicyRevision,
        Cached(_clientParts, client.Id, client.PolicyRevision) ?? SignedOnce(_clientParts, client.Id, client.PolicyRevision, () => SignClientPart(client, organization)),
        OrganizationPart(organization));

    /// <summary>The organization's policy key, which also signs its audit anchors.</summary>
    public ECDsa SigningKey(Organization organization) => _signingKeys.GetOrAdd(organization.SigningKey!.KeyId, _ =>
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(
            protector.Unprotect(organization.SigningKey.ProtectedPrivateKey, OrganizationFounding.SigningKeyPurpose(organization.Id)), out int _);
        return ecdsa;
    });

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
        return SignedPolicyDocument.Part(part, canonical, SigningKey(organization), organization.SigningKey!.KeyId);
    }

    private byte[] SignOrganizationPart(Organization organization)
    {
        var now = clock.GetUtcNow();
        var part = PolicyComposer.ComposeOrganizationPart(OrganizationPolicyContext.Of(organization, now), now);
        var canonical = PolicySignature.CanonicalBytes(part);
        served.Record(organization.Id, part.Revision, canonical);
        return SignedPolicyDocument.Part(part, canonical, SigningKey(organization), organization.SigningKey!.KeyId);
    }

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
}
