using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Marten;

namespace Control.Api.Features.Access;

/// <summary>The current state the access review and the exposure are computed from, read in one go.</summary>
public sealed record AccessState(
    Organization Organization, IReadOnlyList<Client> Clients, IReadOnlyList<Operator> Operators, IReadOnlyList<Person> People,
    IReadOnlyList<SecretKnowledge> Knowledge, IReadOnlyList<CustomClient> CustomClients)
{
    /// <param name="onlyClients">Load just these clients (when they are all a step needs), not every active one.</param>
    /// <param name="knowledge">The exposure documents when the caller has read them already.</param>
    public static async Task<AccessState> Load(
        IQuerySession session, CancellationToken cancellation, IReadOnlyCollection<Guid>? onlyClients = null, IReadOnlyList<SecretKnowledge>? knowledge = null)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var clients = onlyClients is null
            ? await session.Query<Client>().Where(c => c.Status == ClientStatus.Active).ToListAsync(cancellation)
            : (await session.LoadManyAsync<Client>(cancellation, onlyClients)).Where(c => c.Status == ClientStatus.Active).ToList();
        var operators = await session.Query<Operator>().ToListAsync(cancellation);
        var people = await session.Query<Person>().ToListAsync(cancellation);
        knowledge ??= await session.Query<SecretKnowledge>().ToListAsync(cancellation);
        var customClients = await session.Query<CustomClient>().ToListAsync(cancellation);
        return new AccessState(organization, clients, operators, people, knowledge, customClients);
    }

    /// <summary>The organization and just these clients (the active ones): for a change that needs nothing else.</summary>
    public static async Task<AccessState> LoadClients(IQuerySession session, IReadOnlyCollection<Guid> clientIds, CancellationToken cancellation)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var clients = (await session.LoadManyAsync<Client>(cancellation, clientIds)).Where(c => c.Status == ClientStatus.Active).ToList();
        return new AccessState(organization, clients, [], [], [], []);
    }

    public AccessReview Review() => new(Organization, Clients, Operators, People, Knowledge);

    /// <summary>What the person knows now, with a readable name for each secret.</summary>
    public IReadOnlyList<ExposureEntry> Exposure(Person person)
    {
        var clients = Clients.ToDictionary(c => c.Id);
        var operators = Operators.ToDictionary(o => o.Id);
        var customClients = CustomClients.ToDictionary(c => c.Id);
        return Knowledge
            .SelectMany(k => k.KnownBy(person).Select(knower => new ExposureEntry(
                SecretKnowledge.Name(k.Secret), k.SubjectId, Subject(k, clients, operators, customClients), knower.How, knower.Since, knower.TokenId)))
            .OrderBy(e => e.Secret, StringComparer.Ordinal).ThenBy(e => e.Subject, StringComparer.Ordinal)
            .ToList();
    }

    public static AccessPathDto Dto(AccessPath path, IReadOnlyList<Person> people) => new(
        path.ClientId, path.Client, path.ViewerAlias, people.FirstOrDefault(p => p.Id == path.PersonId)?.Name, path.AdmittedBy, path.Methods);

    /// <summary>Who can reach the client; nobody once it is removed (its policy is a tombstone that refuses everything).</summary>
    public WhoCanReachResponse WhoCanReach(Client client, DateTimeOffset? asOf = null)
    {
        var entries = client.AclEntries.Concat(Organization.AclEntries).Distinct().ToList();
        return client.Status == ClientStatus.Removed
            ? new WhoCanReachResponse(client.Id, AccessReview.Label(client), client.AclEnabled, entries, [], asOf, "The client was removed from the organization: nobody can reach it.")
            : new WhoCanReachResponse(client.Id, AccessReview.Label(client), client.AclEnabled, entries, Ordered(Review().WhoCanReach(client)), asOf);
    }

    public ReachableByResponse ReachableBy(Person person, DateTimeOffset? asOf = null)
    {
        var review = Review();
        var canSignIn = Operators.Any(o => o.Status == OperatorStatus.Active && person.Operators.Any(l => l.OperatorId == o.Id));
        return new ReachableByResponse(
            person.Id, person.Name, canSignIn, Ordered(review.ReachableBy(person)),
            review.WildcardsMatching(person).OrderBy(w => w.Client, StringComparer.Ordinal).ThenBy(w => w.Entry, StringComparer.Ordinal).Select(w => new WildcardMatchDto(w.ClientId, w.Client, w.Entry, w.Identity)).ToList(), asOf);
    }

    // A stable order, whatever order the state was loaded or replayed in: a live answer and a replay of the same moment compare equal.
    private List<AccessPathDto> Ordered(IEnumerable<AccessPath> paths) =>
        paths.OrderBy(p => p.Client, StringComparer.Ordinal).ThenBy(p => p.ViewerAlias, StringComparer.Ordinal).Select(p => Dto(p, People)).ToList();

    private string Subject(
        SecretKnowledge k, Dictionary<Guid, Client> clients, Dictionary<Guid, Operator> operators, Dictionary<Guid, CustomClient> customClients) => k.Secret switch
    {
        SecretKind.LicenseKey => $"license key of {Organization.Slug}",
        SecretKind.OperatorPassword => operators.TryGetValue(k.SubjectId, out var op) ? op.QualifiedName : k.SubjectId.ToString(),
        SecretKind.CustomClientLink => customClients.TryGetValue(k.SubjectId, out var cc) ? cc.Name : k.SubjectId.ToString(),
        _ => clients.TryGetValue(k.SubjectId, out var client) ? AccessReview.Label(client) : $"{k.SubjectId} (removed client)",
    };
}
