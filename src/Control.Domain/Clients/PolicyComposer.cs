using System.Globalization;
using Control.Domain.Contracts;
using Control.Domain.Operators;

namespace Control.Domain.Clients;

/// <summary>What the organization contributes to every client's policy.</summary>
/// <param name="Revision">Counts the organization's policy-relevant changes; part of every client's policy version.</param>
/// <param name="AclEntries">Organization-wide entries every client admits in addition to its own.</param>
/// <param name="Sessions">The organization's session settings (justification, shell recording).</param>
public sealed record OrganizationPolicyContext(
    string Slug, bool Licensed, long Revision, IReadOnlyList<string> AclEntries, string? ViewerCa, IReadOnlyList<string> RevokedViewerSerials,
    Organizations.SessionSettings Sessions)
{
    /// <summary>
    /// What the organization contributes as the API serves it. Revoked serials whose certificate has expired anyway are
    /// left out, so the list does not grow for ever.
    /// </summary>
    public static OrganizationPolicyContext Of(Organizations.Organization organization, DateTimeOffset now) => new(
        organization.Slug, Licensed: true, organization.PolicyRevision, organization.AclEntries, organization.ViewerCa?.Certificate,
        organization.RevokedViewerSerials(now), organization.SessionSettings);
}

/// <summary>
/// Composes the two signed parts of a client's policy from the event-sourced state, and combines verified parts into
/// the policy an agent enforces. <see cref="Combine"/> is the only place where the parts meet, for the server's
/// what-if answers and the agent's enforcement alike.
/// </summary>
public static class PolicyComposer
{
    /// <param name="encryptedTotpSecret">The client's TOTP seed encrypted to the agent's key, when 2FA is on.</param>
    public static ClientPolicyPart ComposeClientPart(Client client, string organization, string? encryptedTotpSecret, DateTimeOffset now)
    {
        var removed = client.Status == ClientStatus.Removed;
        var licensed = client.Licensed && !removed;

        // A removed client gets a tombstone: deny everything, keep nothing secret.
        var unattended = removed
            ? new PolicyUnattended(false, false, null)
            : new PolicyUnattended(
                client.Unattended.Enabled,
                client.Unattended.Exclusive,
                client.Unattended.Verifier is { } v ? new PolicyScramVerifier(v.Salt, v.Iterations, v.StoredKey, v.ServerKey) : null);
        var twoFactorOn = client.TwoFactor.Enabled && !removed && encryptedTotpSecret is not null;

        return new ClientPolicyPart(
            ClientPolicy.CurrentSchema,
            organization,
            client.Id,
            client.NumberText,
            licensed ? client.Alias : null,
            licensed,
            removed,
            new PolicyAcl(removed || client.AclEnabled, removed ? [] : client.AclEntries.Order(StringComparer.Ordinal).ToList()),
            unattended,
            client.TokenEpoch,
            new PolicyTwoFactor(twoFactorOn, "SHA1", TotpRules.Digits, TotpRules.StepSeconds, twoFactorOn ? encryptedTotpSecret : null),
            removed ? new PolicyPermissions(false, false, false, []) : new PolicyPermissions(client.Permissions.Exec, client.Permissions.Shell, client.Permissions.FileTransfer, client.Logins),
            client.TerminatedSessions,
            client.RevokedTokenIds.Order(StringComparer.Ordinal).ToList(),
            client.PolicyRevision,
            Timestamp(now));
    }

    public static OrganizationPolicyPart ComposeOrganizationPart(OrganizationPolicyContext organization, DateTimeOffset now) => new(
        ClientPolicy.CurrentSchema,
        organization.Slug,
        organization.Licensed,
        organization.AclEntries.Order(StringComparer.Ordinal).ToList(),
        organization.ViewerCa,
        organization.RevokedViewerSerials,
        new PolicySessionSettings(organization.Sessions.RequireJustification, organization.Sessions.RecordShellSessions),
        organization.Revision,
        Timestamp(now));

    /// <summary>The policy a client enforces: its own part with its organization's (both verified by then).</summary>
    public static ClientPolicy Combine(ClientPolicyPart client, OrganizationPolicyPart organization)
    {
        var licensed = client.Licensed && organization.Licensed && !client.Removed;
        return new ClientPolicy(
            client.Schema,
            client.Organization,
            client.ClientId,
            client.ClientNumber,
            licensed ? client.Alias : null,
            licensed,
            client.Removed,
            new PolicyAcl(client.Acl.Enabled, client.Removed ? [] : client.Acl.Entries.Union(organization.AclEntries).Order(StringComparer.Ordinal).ToList()),
            client.Unattended,
            client.TokenEpoch,
            client.TwoFactor,
            client.Permissions,
            organization.ViewerCa,
            organization.RevokedViewerSerials,
            client.TerminatedSessions,
            client.RevokedTokenIds,
            organization.Sessions,
            client.Revision + organization.Revision,
            string.CompareOrdinal(client.IssuedAt, organization.IssuedAt) >= 0 ? client.IssuedAt : organization.IssuedAt);
    }

    /// <summary>The policy a client would enforce now (what-if answers and tests): both parts composed and combined.</summary>
    public static ClientPolicy Compose(Client client, OrganizationPolicyContext organization, string? encryptedTotpSecret, DateTimeOffset now) =>
        Combine(ComposeClientPart(client, organization.Slug, encryptedTotpSecret, now), ComposeOrganizationPart(organization, now));

    /// <summary>
    /// Parts that combine into exactly this policy: everything of the client's in its part (the whole ACL, the version
    /// as its revision), the organization's settings in an organization part of revision 0. For tools and tests that
    /// start from a whole policy; the server composes real parts from the state.
    /// </summary>
    public static (ClientPolicyPart Client, OrganizationPolicyPart Organization) Split(ClientPolicy policy) => (
        new ClientPolicyPart(
            policy.Schema, policy.Organization, policy.ClientId, policy.ClientNumber, policy.Alias, policy.Licensed, policy.Removed, policy.Acl,
            policy.Unattended, policy.TokenEpoch, policy.TwoFactor, policy.Permissions, policy.TerminatedSessions, policy.RevokedTokenIds,
            policy.Version, policy.IssuedAt),
        new OrganizationPolicyPart(
            policy.Schema, policy.Organization, Licensed: true, [], policy.ViewerCa, policy.RevokedViewerSerials, policy.Sessions, Revision: 0,
            policy.IssuedAt));

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
