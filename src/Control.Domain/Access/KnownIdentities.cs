using Control.Domain.Clients;
using Control.Domain.Operators;
using Control.Domain.People;

namespace Control.Domain.Access;

/// <summary>A known identity an ACL entry admits: what Control knows it as, and the people it belongs to.</summary>
/// <param name="KnownAs">"operator (owner)", "operator (technician, disabled)", "linked to Zoe Example", "client desk@acme".</param>
public sealed record KnownIdentityMatch(string Identity, IReadOnlyList<string> KnownAs, IReadOnlyList<string> People);

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
        var known = new SortedDictionary<string, (List<string> KnownAs, SortedSet<string> People)>(StringComparer.Ordinal);
        void Add(string identity, string knownAs, string? person = null)
        {
            identity = identity.ToLowerInvariant();
            if (!known.TryGetValue(identity, out var found))
            {
                found = ([], new SortedSet<string>(StringComparer.Ordinal));
                known[identity] = found;
            }

            if (!found.KnownAs.Contains(knownAs))
            {
                found.KnownAs.Add(knownAs);
            }

            if (person is not null)
            {
                found.People.Add(person);
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
                Add(identity, $"linked to {person.Name}", person.Name);
            }
        }

        foreach (var client in clients.Where(c => c.Status == ClientStatus.Active))
        {
            var owner = peopleList.FirstOrDefault(p => p.Clients.Any(c => c.ClientId == client.Id))?.Name;
            var label = $"client {AccessReview.Label(client)}" + (owner is null ? "" : $" (of {owner})");
            Add(client.NumberText, label, owner);
            if (client.Alias is { } alias)
            {
                Add(alias, label, owner);
            }
        }

        return known.Where(k => entry.Matches(k.Key))
            .Select(k => new KnownIdentityMatch(k.Key, k.Value.KnownAs, [.. k.Value.People]))
            .ToList();
    }
}
