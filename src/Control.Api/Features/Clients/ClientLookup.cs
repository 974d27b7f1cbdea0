using System.Globalization;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Api.Features.Receipts;
using Control.Domain.Organizations;
using Marten;

namespace Control.Api.Features.Clients;

/// <summary>Finds a client of the caller's organization by id, 9-digit number, or alias (with or without the namespace).</summary>
public static class ClientLookup
{
    public static async Task<Client?> Find(IQuerySession session, string key, CancellationToken cancellation)
    {
        key = key.Trim().ToLowerInvariant();
        if (Guid.TryParse(key, out var id))
        {
            return await session.LoadAsync<Client>(id, cancellation);
        }

        if (key.Length == 9 && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return await session.Query<Client>().FirstOrDefaultAsync(c => c.Number == number, cancellation);
        }

        var alias = key.Contains('@', StringComparison.Ordinal) ? key : $"{key}@{session.TenantId}";
        return await session.Query<Client>().FirstOrDefaultAsync(c => c.Alias == alias && c.Status == ClientStatus.Active, cancellation);
    }

    /// <param name="unwrittenSeen">A sighting this process has not written yet (<see cref="PresenceTracker.UnwrittenSeen"/>).</param>
    public static ClientSummary Summary(Client client, Organization organization, ClientPresence? presence, DateTimeOffset? unwrittenSeen, DateTimeOffset now)
    {
        var lastSeen = ClientPresence.LastSeen(presence, unwrittenSeen);
        return new(
            client.Id, client.NumberText, client.Alias, client.Hostname, client.Status.ToString().ToLowerInvariant(), client.Licensed, client.Tags,
            client.PolicyRevision + organization.PolicyRevision, presence?.EnforcedVersion, lastSeen, client.Version,
            client.Status == ClientStatus.Active && ClientPresence.IsOnline(lastSeen, now));
    }

    public static ClientDetail Detail(Client client, Organization organization, ClientPresence? presence, DateTimeOffset? unwrittenSeen, DateTimeOffset now) => new(
        Summary(client, organization, presence, unwrittenSeen, now), client.KeyFingerprint, client.EnrolledAt, client.AclEnabled, client.AclEntries,
        client.Unattended.Enabled, client.Unattended.Exclusive, client.Unattended.Verifier is not null, client.TokenEpoch, client.TwoFactor.Enabled,
        new PolicyPermissions(client.Permissions.Exec, client.Permissions.Shell, client.Permissions.FileTransfer, client.Logins));
}
