using Control.Domain.Clients;
using Control.Domain.Operators;
using Control.Domain.People;

namespace Control.Domain.Access;

/// <summary>A known identity an ACL entry admits: what Control knows it as, and the people it belongs to.</summary>
/// <param name="KnownAs">"operator (owner)", "operator (technician, disabled)", "linked to Zoe Example", "linked to Bob (offboarded)", "client desk@acme".</param>
/// <param name="People">The people it belongs to who are still with the organization (active, or being offboarded).</param>
/// <param name="OffboardedPeople">The offboarded people it belonged to: listed, marked, never mixed with <paramref name="People"/>.</param>
public sealed record KnownIdentityMatch(string Identity, IReadOnlyList<string> KnownAs, IReadOnlyList<string> People, IReadOnlyList<string> OffboardedPeople);

/// <summary>
/// Every identity Control knows in one organization (operators' viewer aliases, people's linked aliases and client
/// numbers, enrolled clients' aliases and numbers), and which of them an ACL entry admits — by <see cref="AclEntry.Matches"/>,
/// the check the agent applies, so a preview cannot disagree with enforcement.
/// </summary>
public static class KnownIdentities
{
    public static IReadOnlyList<KnownIdentityMatch> MatchedBy(
        AclEntry entry, IEnumerable<Operator> operators, IEnumerable<Person> people, IEnumerable<Client> clients)
    {
        var known = new SortedDictionary<string, (List<string> KnownAs, SortedSet<string> People, SortedSet<string> Offboarded)>(StringComparer.Ordinal);
        void Add(string identity, string knownAs, Person? person = null)
        {
            identity = identity.ToLowerInvariant();
            if (!known.TryGetValue(identity, out var found))
            {
                found = ([], new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                known[identity] = found;
            }

            if (!found.KnownAs.Contains(knownAs))
            {
                found.KnownAs.Add(knownAs);
            }

            if (person is not null)
            {
                (Offboarded(person) ? found.Offboarded : found.People).Add(person.Name);
            }
        }

        var peopleList = people.ToList();
        foreach (var op in operators)
        {
            var status = op.Status == OperatorStatus.Active ? "" : $", {op.Status.ToString().ToLowerInvariant()}";
            Add(AccessReview.AliasOf(op), $"operator ({op.Role.ToName()}{status})");
        }

        foreach (var person in peopleList)
        {
            foreach (var identity in person.AclIdentities())
            {
                Add(identity, $"linked to {person.Name}{(Offboarded(person) ? " (offboarded)" : "")}", person);
            }
        }

        foreach (var client in clients.Where(c => c.Status == ClientStatus.Active))
        {
            var owner = peopleList.FirstOrDefault(p => p.Clients.Any(c => c.ClientId == client.Id));
            var label = $"client {AccessReview.Label(client)}" + (owner is null ? "" : $" (of {owner.Name}{(Offboarded(owner) ? ", offboarded" : "")})");
            Add(client.NumberText, label, owner);
            if (client.Alias is { } alias)
            {
                Add(alias, label, owner);
            }
        }

        return known.Where(k => entry.Matches(k.Key))
            .Select(k => new KnownIdentityMatch(k.Key, k.Value.KnownAs, [.. k.Value.People], [.. k.Value.Offboarded]))
            .ToList();
    }

    // Marked, not hidden: a wildcard still matches an offboarded person's old alias, and a security admin reviewing an
    // entry must see everything it matches; what they must not do is mistake a leaver for a current member of staff.
    private static bool Offboarded(Person person) => person.Status == PersonStatus.Offboarded;
}
