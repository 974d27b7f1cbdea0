using Control.Domain.Clients;
using Control.Domain.Organizations;

namespace Control.Domain.Access;

/// <summary>One change of what a client's ACL admits: entries added or removed, the list switched on or off.</summary>
/// <param name="OrganizationWide">The change was to the organization-wide entries, which this client admits too.</param>
/// <param name="AclEnabled">The new on/off state when this change switched it, else null.</param>
public sealed record AclChange(RecordedEvent Event, bool OrganizationWide, IReadOnlyList<string> Added, IReadOnlyList<string> Removed, bool? AclEnabled);

/// <summary>
/// A client's ACL history as a diff list. Each change is the difference between the states before and after an event,
/// folded with the aggregates' own Evolve, so every event that touches the ACL (an entry added, a preset applied at
/// enrolment, an offboarding's removal, the organization's entries) is covered without a list of event types to keep
/// in step. Organization-wide changes count while the client is enrolled and not removed.
/// </summary>
public static class AclHistory
{
    /// <param name="events">The client's own stream and the organization's stream.</param>
    public static IReadOnlyList<AclChange> Of(Guid clientId, IEnumerable<RecordedEvent> events)
    {
        Client? client = null;
        Organization? organization = null;
        var changes = new List<AclChange>();
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            if (e.Stream == StreamKind.Client && e.StreamId == clientId)
            {
                var before = client;
                client = Client.Evolve(client, e.Data);
                if (client is null)
                {
                    continue;
                }

                var added = client.AclEntries.Except(before?.AclEntries ?? [], StringComparer.Ordinal).ToList();
                var removed = (before?.AclEntries ?? []).Except(client.AclEntries, StringComparer.Ordinal).ToList();
                bool? switched = client.AclEnabled != (before?.AclEnabled ?? false) ? client.AclEnabled : null;
                if (added.Count > 0 || removed.Count > 0 || switched is not null)
                {
                    changes.Add(new AclChange(e, false, added, removed, switched));
                }
            }
            else if (e.Stream == StreamKind.Organization)
            {
                var before = organization?.AclEntries ?? [];
                organization = Organization.Evolve(organization, e.Data);
                var after = organization?.AclEntries ?? [];
                var added = after.Except(before, StringComparer.Ordinal).ToList();
                var removed = before.Except(after, StringComparer.Ordinal).ToList();
                if (client is { Status: ClientStatus.Active } && (added.Count > 0 || removed.Count > 0))
                {
                    changes.Add(new AclChange(e, true, added, removed, null));
                }
            }
        }

        return changes;
    }
}
