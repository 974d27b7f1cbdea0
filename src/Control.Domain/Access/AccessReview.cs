using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;

namespace Control.Domain.Access;

/// <summary>One way in: this viewer identity is admitted to this client (by which entry) and can authenticate by these methods.</summary>
/// <param name="AdmittedBy">The ACL entry that admits the alias, or "access control list off".</param>
/// <param name="Methods">"unattended password (known)", "remember-token ID", "attended (someone at the client accepts)".</param>
public sealed record AccessPath(Guid ClientId, string Client, string ViewerAlias, Guid OperatorId, Guid? PersonId, string AdmittedBy, IReadOnlyList<string> Methods);

/// <summary>A wildcard (or "*") entry that admits an identity of the person: reported, since only releasing the alias ends the match.</summary>
public sealed record WildcardMatch(Guid? ClientId, string Client, string Entry, string Identity);

/// <summary>
/// Who can reach what, computed from the current state exactly as the agents decide (their policies come from the same
/// state): a viewer needs an active operator account (only those obtain viewer certificates), admission by the client's
/// ACL (its own entries and the organization's, or the ACL off), and a way to authenticate.
/// </summary>
public sealed class AccessReview
{
    private readonly Organization _organization;
    private readonly IReadOnlyList<Client> _clients;
    private readonly IReadOnlyList<Operator> _operators;
    private readonly Dictionary<Guid, Person> _personOfOperator = [];
    private readonly Dictionary<string, SecretKnowledge> _knowledge;

    public AccessReview(Organization organization, IEnumerable<Client> clients, IEnumerable<Operator> operators, IEnumerable<Person> persons, IEnumerable<SecretKnowledge> knowledge)
    {
        _organization = organization;
        _clients = clients.Where(c => c.Status == ClientStatus.Active).ToList();
        _operators = operators.Where(o => o.Status == OperatorStatus.Active).ToList();
        foreach (var person in persons)
        {
            foreach (var linked in person.Operators)
            {
                _personOfOperator[linked.OperatorId] = person;
            }
        }

        _knowledge = knowledge.ToDictionary(k => k.Id);
    }

    public static string AliasOf(Operator op) => op.QualifiedName;

    public static string Label(Client client) => client.Alias ?? client.NumberText;

    public IReadOnlyList<AccessPath> WhoCanReach(Client client) =>
        _operators.Select(op => PathTo(client, op)).OfType<AccessPath>().ToList();

    /// <summary>Every client the person could open a session to now (empty once their accounts are disabled).</summary>
    public IReadOnlyList<AccessPath> ReachableBy(Person person)
    {
        var mine = person.Operators.Select(o => o.OperatorId).ToHashSet();
        return _operators.Where(op => mine.Contains(op.Id) && !person.ReleasedAliases.Contains(AliasOf(op)))
            .SelectMany(op => _clients.Select(c => PathTo(c, op)))
            .OfType<AccessPath>()
            .ToList();
    }

    /// <summary>Wildcard or "*" entries (on clients or organization-wide) that match one of the person's identities.</summary>
    public IReadOnlyList<WildcardMatch> WildcardsMatching(Person person)
    {
        var identities = person.AclIdentities();
        var matches = new List<WildcardMatch>();
        foreach (var entry in _organization.AclEntries)
        {
            matches.AddRange(Wildcard(null, "organization-wide", entry, identities));
        }

        foreach (var client in _clients)
        {
            foreach (var entry in client.AclEntries)
            {
                matches.AddRange(Wildcard(client.Id, Label(client), entry, identities));
            }
        }

        return matches;
    }

    private static IEnumerable<WildcardMatch> Wildcard(Guid? clientId, string label, string entry, IReadOnlyList<string> identities)
    {
        if (!AclEntry.TryParse(entry, out var parsed, out _) || parsed.Kind is not (AclEntryKind.Wildcard or AclEntryKind.Everyone))
        {
            yield break;
        }

        foreach (var identity in identities.Where(parsed.Matches))
        {
            yield return new WildcardMatch(clientId, label, entry, identity);
        }
    }

    private AccessPath? PathTo(Client client, Operator op)
    {
        var alias = AliasOf(op);
        string admittedBy;
        if (client.AclEnabled)
        {
            var entry = client.AclEntries.Concat(_organization.AclEntries)
                .FirstOrDefault(e => AclEntry.TryParse(e, out var parsed, out _) && parsed.Matches(alias));
            if (entry is null)
            {
                return null;
            }

            admittedBy = $"ACL entry {entry}";
        }
        else
        {
            admittedBy = "access control list off";
        }

        var person = _personOfOperator.GetValueOrDefault(op.Id);
        var methods = new List<string>();
        if (client.Unattended is { Enabled: true, Verifier: not null } && Knows(SecretKind.UnattendedPassword, client.Id, op, alias, person))
        {
            methods.Add("unattended password (known)");
        }

        if (!client.Unattended.Exclusive && _knowledge.TryGetValue(SecretKnowledge.KeyOf(SecretKind.RememberToken, client.Id), out var tokens))
        {
            methods.AddRange(tokens.Knowers.Where(k => Matches(k, op, alias, person)).Select(k => $"remember-token {k.TokenId}"));
        }

        if (!client.Unattended.Exclusive)
        {
            methods.Add("attended (someone at the client accepts)");
        }

        return methods.Count == 0 ? null : new AccessPath(client.Id, Label(client), alias, op.Id, person?.Id, admittedBy, methods);
    }

    private bool Knows(SecretKind secret, Guid subject, Operator op, string alias, Person? person) =>
        _knowledge.TryGetValue(SecretKnowledge.KeyOf(secret, subject), out var knowledge) && knowledge.Knowers.Any(k => Matches(k, op, alias, person));

    private static bool Matches(Knower knower, Operator op, string alias, Person? person) =>
        knower.OperatorId == op.Id || knower.Alias == alias || (person is not null && knower.PersonId == person.Id);
}
