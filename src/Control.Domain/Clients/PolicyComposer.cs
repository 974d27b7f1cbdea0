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
    Organizations.SessionSettings Sessions);

/// <summary>Composes the policy document an agent enforces from its client's state and its organization's context.</summary>
public static class PolicyComposer
{
    /// <param name="encryptedTotpSecret">The client's TOTP seed encrypted to the agent's key, when 2FA is on.</param>
    public static ClientPolicy Compose(Client client, OrganizationPolicyContext organization, string? encryptedTotpSecret, DateTimeOffset now)
    {
        var removed = client.Status == ClientStatus.Removed;
        var licensed = client.Licensed && organization.Licensed && !removed;

        // A removed client gets a tombstone: deny everything, keep nothing secret.
        var unattended = removed
            ? new PolicyUnattended(false, false, null)
            : new PolicyUnattended(
                client.Unattended.Enabled,
                client.Unattended.Exclusive,
                client.Unattended.Verifier is { } v ? new PolicyScramVerifier(v.Salt, v.Iterations, v.StoredKey, v.ServerKey) : null);
        var twoFactorOn = client.TwoFactor.Enabled && !removed && encryptedTotpSecret is not null;

        return new ClientPolicy(
            ClientPolicy.CurrentSchema,
            organization.Slug,
            client.Id,
            client.NumberText,
            licensed ? client.Alias : null,
            licensed,
            removed,
            new PolicyAcl(removed || client.AclEnabled, removed ? [] : client.AclEntries.Union(organization.AclEntries).Order(StringComparer.Ordinal).ToList()),
            unattended,
            client.TokenEpoch,
            new PolicyTwoFactor(twoFactorOn, "SHA1", TotpRules.Digits, TotpRules.StepSeconds, twoFactorOn ? encryptedTotpSecret : null),
            removed ? new PolicyPermissions(false, false, false) : new PolicyPermissions(client.Permissions.Exec, client.Permissions.Shell, client.Permissions.FileTransfer),
            organization.ViewerCa,
            organization.RevokedViewerSerials,
            client.TerminatedSessions,
            client.RevokedTokenIds.Order(StringComparer.Ordinal).ToList(),
            new PolicySessionSettings(organization.Sessions.RequireJustification, organization.Sessions.RecordShellSessions),
            client.PolicyRevision + organization.Revision,
            now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
    }
}
