using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.People;
using Marten;

namespace Control.Api.Features.People;

/// <summary>Finds a person of the caller's organization by id, e-mail, or exact name (when only one person has it).</summary>
public static class PersonLookup
{
    public static async Task<Person?> Find(IQuerySession session, string? key, CancellationToken cancellation)
    {
        key = key?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        if (Guid.TryParse(key, out var id))
        {
            return await session.LoadAsync<Person>(id, cancellation);
        }

        var byEmail = await session.Query<Person>().Where(p => p.Email != null && p.Email.Equals(key, StringComparison.OrdinalIgnoreCase)).ToListAsync(cancellation);
        if (byEmail.Count == 1)
        {
            return byEmail[0];
        }

        var byName = await session.Query<Person>().Where(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase)).Take(2).ToListAsync(cancellation);
        return byName.Count == 1 ? byName[0] : null;
    }

    public static PersonResponse Response(Person p) => new(
        p.Id, p.Name, p.Email, StatusName(p.Status), p.Operators.Select(o => new PersonOperator(o.OperatorId, o.Alias)).ToList(), p.Identities,
        p.Clients.Select(c => new PersonClient(c.ClientId, c.Label)).ToList(), p.OffboardingId, p.ReleasedAliases, p.AddedAt, p.Version);

    public static string StatusName(PersonStatus status) => status switch
    {
        PersonStatus.Active => "active",
        PersonStatus.Offboarding => "offboarding",
        PersonStatus.Offboarded => "offboarded",
        _ => status.ToString(),
    };
}
