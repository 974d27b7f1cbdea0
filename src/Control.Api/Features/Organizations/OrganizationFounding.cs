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
/// the first license key, its policy-signing key and its viewer CA, and its owner. The license key is revealed once, to the owner.
/// </summary>
public sealed class OrganizationFounding(Passwords passwords, SecretProtector protector, Viewers.ViewerCertificateAuthority viewerCa)
{
    public (SetupResponse? Created, Refusal? Refusal) Found(
        IDocumentSession session, string slug, string name, string ownerUsername, string ownerPassword, bool slugTaken, Actor actor, DateTimeOffset now)
    {
        var organizationId = Guid.CreateVersion7();
        var ownerId = Guid.CreateVersion7();
        var licenseKey = RegistrationTokens.New(RegistrationTokenKind.LicenseKey, slug);
        var created = OrganizationDecider.Decide(
            new CreateOrganization(
                organizationId, slug, name, Secrets.HashToken(licenseKey), NewSigningKey(organizationId), viewerCa.NewCa(organizationId, slug, now)),
            slugTaken, actor, now);
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

public enum RegistrationTokenKind
{
    LicenseKey,
    CustomClientLink,
    EnrolmentTicket,
}

/// <summary>
/// Tokens that enrol agents read <c>{kind prefix}{namespace}.{256 random bits}</c>: the namespace tells the server whose
/// token it is; only the SHA-256 of the whole token is stored.
/// </summary>
public static class RegistrationTokens
{
    private static readonly Dictionary<RegistrationTokenKind, string> Prefixes = new()
    {
        [RegistrationTokenKind.LicenseKey] = "ctl-lic.",
        [RegistrationTokenKind.CustomClientLink] = "ctl-reg.",
        [RegistrationTokenKind.EnrolmentTicket] = "ctl-tkt.",
    };

    public static string New(RegistrationTokenKind kind, string slug) => $"{Prefixes[kind]}{slug}.{Secrets.NewToken()}";

    public static bool TryParse(string? token, out RegistrationTokenKind kind, out string slug)
    {
        kind = default;
        slug = "";
        foreach (var (candidate, prefix) in Prefixes)
        {
            if (token is not null && token.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = token[prefix.Length..];
                var dot = rest.IndexOf('.', StringComparison.Ordinal);
                kind = candidate;
                slug = dot > 0 ? rest[..dot] : "";
                return OrganizationRules.IsValidSlug(slug);
            }
        }

        return false;
    }
}
