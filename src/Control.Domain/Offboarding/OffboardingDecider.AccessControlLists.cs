using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;

namespace Control.Domain.Offboarding;

/// <summary>
/// <see cref="OffboardingStep.RemoveFromAccessControlLists"/>: decided batch by batch (a batch is a set of clients), and
/// finished once by the step's last batch with the organization-wide entries, the report and the person's record.
/// </summary>
public static partial class OffboardingDecider
{
    /// <summary>
    /// The person as the ACL step may treat them: without the aliases of the operator accounts the offboarding could not change
    /// (no authority, or the last active owner), which stay in every ACL and are not released (<c>Kept</c>).
    /// </summary>
    public static (Person Person, IReadOnlyCollection<string> Kept) WithinAuthority(
        Person person, IReadOnlyList<Operator> operators, OffboardingAuthority authority, Actor actor, DateTimeOffset now)
    {
        var owners = operators.Count(IsActiveOwner);
        var kept = OffboardingApproval.NamedAccounts(person, operators)
            .Where(o => OperatorDecider.Decide(new DisableOperator(owners), o, authority, actor, now).IsRefused)
            .Select(o => o.QualifiedName)
            .ToHashSet(StringComparer.Ordinal);
        return kept.Count == 0
            ? (person, kept)
            : (person with { Operators = [.. person.Operators.Where(o => !kept.Contains(o.Alias))], Identities = [.. person.Identities.Where(i => !kept.Contains(i))] }, kept);
    }

    /// <summary>Every entry of these clients' own ACLs that names the person, removed: one change per client.</summary>
    public static IReadOnlyList<OffboardingStreamChange> RemoveFromClientAcls(Person person, IEnumerable<Client> clients, Actor actor, DateTimeOffset now)
    {
        var identities = person.AclIdentities().ToHashSet(StringComparer.Ordinal);
        var changes = new List<OffboardingStreamChange>();
        foreach (var client in clients)
        {
            var entries = client.AclEntries.Where(identities.Contains).ToList();
            if (entries.Count == 0)
            {
                continue;
            }

            var events = new List<object>();
            var current = client;
            foreach (var entry in entries)
            {
                var decision = ClientDecider.Decide(new RemoveAclEntry(entry), current, actor, now);
                events.AddRange(decision.Events);
                current = decision.Events.Aggregate(current, (c, e) => Client.Evolve(c, e)!);
            }

            ChangeClient(changes, client, Decision.Accept([.. events]), "removed from the access control list");
        }

        return changes;
    }

    /// <summary>
    /// The end of the ACL step: the organization-wide entries that name the person are removed; the wildcards that match
    /// them (on <paramref name="clients"/>, which must hold every active client with a wildcard entry) and the aliases it
    /// kept are reported.
    /// </summary>
    public static OffboardingStepDecision FinishAccessControlLists(
        Person person, Organization organization, IReadOnlyList<Client> clients, IReadOnlyCollection<string> kept, Actor actor, DateTimeOffset now)
    {
        var identities = person.AclIdentities().ToHashSet(StringComparer.Ordinal);
        var changes = new List<OffboardingStreamChange>();
        var current = organization;
        var version = organization.Version;
        foreach (var entry in organization.AclEntries.Where(identities.Contains))
        {
            var decision = OrganizationDecider.Decide(new RemoveOrganizationAclEntry(entry), current, actor, now);
            version += Add(changes, OffboardingTargets.Organization, organization.Id, organization.Slug, version, decision,
                $"{entry} removed from the organization-wide access control list");
            current = decision.Events.Aggregate(current, (o, e) => Organization.Evolve(o, e)!);
        }

        var wildcards = new AccessReview(organization, clients, [], [], []).WildcardsMatching(person).Select(wildcard =>
            $"wildcard {wildcard.Entry} on {wildcard.Client} matches {wildcard.Identity}: left in place; the alias is released (account disabled, certificates revoked, no new certificate for it)");
        return OffboardingStepDecision.Of(changes,
            [.. wildcards, .. kept.Select(alias => $"{alias}: left in every access control list and not released: the offboarding could not change the account")]);
    }

    /// <summary>
    /// The person's record closed and their aliases released (except the ones kept), so that no wildcard matches them from
    /// now on; decided in the transaction of the step's last changes, so that the step commits every change at once.
    /// </summary>
    public static OffboardingStepDecision ClosePersonRecord(Person person, Guid offboardingId, IReadOnlyCollection<string> kept, Actor actor, DateTimeOffset now)
    {
        var changes = new List<OffboardingStreamChange>();
        Add(changes, OffboardingTargets.Person, person.Id, person.Name, person.Version, PersonDecider.Decide(new CompleteOffboarding(offboardingId, kept), person, actor, now),
            "record closed; aliases released (a wildcard matches them no more)");
        return OffboardingStepDecision.Of(changes);
    }
}
