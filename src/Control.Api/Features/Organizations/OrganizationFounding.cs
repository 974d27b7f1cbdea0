using System.Security.Cryptography;
using Control.Api.Features.Setup;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.Security;
using Marten;

namespace Control.Api.Features.Organizations;

/// <summary>
/// Founding an organization (at setup, or by an owner where allowed): its namespace registration, its stream with
/// the first license key and its policy-signing key, and its owner. The license key is revealed once, to the owner.
/// </summary>
public sealed class OrganizationFounding(Passwords passwords, SecretProtector protector)
{
    public (SetupResponse? Created, Refusal? Refusal) Found(
        IDocumentSession session, string slug, string name, string ownerUsername, string ownerPassword, bool slugTaken, Actor actor, DateTimeOffset now)
    {
        var organizationId = Guid.CreateVersion7();
        var ownerId = Guid.CreateVersion7();
        var licenseKey = LicenseKeys.New(slug);
        var created = OrganizationDecider.Decide(
            new CreateOrganization(organizationId, slug, name, Secrets.HashToken(licenseKey), NewSigningKey(organizationId)), slugTaken, actor, now);
        var owner = OperatorDecider.Decide(
            new RegisterOperator(ownerId, organizationId, slug, ownerUsername, OperatorRole.Owner, passwords.Hash(ownerPassword)), usernameTaken: false, actor, now);
        if ((created.Refusal ?? owner.Refusal) is { } refusal)
        {
            return (null, refusal);
        }

        // Insert, not Store: a namespace registered concurrently elsewhere fails this write (409) instead of being overwritten.
        session.Insert(new OrganizationRegistration { Id = slug, OrganizationId = organizationId, Name = name.Trim(), CreatedAt = now });
        var revealed = new SecretRevealed(organizationId, SecretKind.LicenseKey, Actor.Operator(ownerId, ownerUsername, slug), now);
        session.Events.StartStream<Organization>(organizationId, [.. created.Events, revealed]);
        session.Events.StartStream<Operator>(ownerId, owner.Events.ToArray());
        return (new SetupResponse(organizationId, slug, ownerId, ownerUsername, licenseKey), null);
    }

    public static string SigningKeyPurpose(Guid organizationId) => $"organization-policy-key/{organizationId:N}";

    private PolicySigningKey NewSigningKey(Guid organizationId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var protectedPrivate = protector.Protect(key.ExportPkcs8PrivateKey(), SigningKeyPurpose(organizationId));
        return new PolicySigningKey(PolicySignature.Fingerprint(publicKey)[..16], publicKey, protectedPrivate);
    }
}

/// <summary>License keys read <c>ctl-lic.{namespace}.{256 random bits}</c>: the namespace tells the server whose key it is.</summary>
public static class LicenseKeys
{
    public const string Prefix = "ctl-lic.";

    public static string New(string slug) => $"{Prefix}{slug}.{Secrets.NewToken()}";

    public static bool TryParse(string? token, out string slug)
    {
        slug = "";
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = token[Prefix.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return false;
        }

        slug = rest[..dot];
        return OrganizationRules.IsValidSlug(slug);
    }
}
