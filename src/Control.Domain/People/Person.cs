namespace Control.Domain.People;

public enum PersonStatus
{
    Active,

    /// <summary>An offboarding is scheduled or running.</summary>
    Offboarding,
    Offboarded,
}

public sealed record LinkedOperator(Guid OperatorId, string Alias);

public sealed record LinkedClient(Guid ClientId, string Label);

/// <summary>The HR record of an employee, folded from its stream: the accounts, identities and clients that are theirs.</summary>
public sealed record Person
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    public string? Email { get; init; }
    public PersonStatus Status { get; init; }
    public IReadOnlyList<LinkedOperator> Operators { get; init; } = [];

    /// <summary>Viewer aliases and client numbers linked directly (the operators' aliases are in <see cref="Operators"/>).</summary>
    public IReadOnlyList<string> Identities { get; init; } = [];

    public IReadOnlyList<LinkedClient> Clients { get; init; } = [];

    /// <summary>The running, scheduled or finished offboarding, if any.</summary>
    public Guid? OffboardingId { get; init; }

    /// <summary>Aliases released by an offboarding: no one is matched by them any more.</summary>
    public IReadOnlyList<string> ReleasedAliases { get; init; } = [];

    public DateTimeOffset AddedAt { get; init; }

    public long Version { get; set; }

    /// <summary>Every identity an ACL entry could name for this person: the operators' aliases and the linked identities.</summary>
    public IReadOnlyList<string> AclIdentities() =>
        Operators.Select(o => o.Alias).Concat(Identities).Distinct(StringComparer.Ordinal).ToList();

    public static Person? Evolve(Person? state, object @event) => @event switch
    {
        PersonAdded e => new Person { Id = e.PersonId, OrganizationId = e.OrganizationId, Name = e.Name, Email = e.Email, AddedAt = e.At },
        _ when state is null => null,
        PersonOperatorLinked e => state with { Operators = [.. state.Operators, new LinkedOperator(e.OperatorId, e.Alias)] },
        PersonIdentityLinked e => state with { Identities = [.. state.Identities, e.Identity] },
        PersonClientLinked e => state with { Clients = [.. state.Clients, new LinkedClient(e.ClientId, e.Label)] },
        PersonOffboardingStarted e => state with { Status = PersonStatus.Offboarding, OffboardingId = e.OffboardingId },
        PersonOffboardingCancelled => state with { Status = PersonStatus.Active, OffboardingId = null },
        PersonOffboarded e => state with { Status = PersonStatus.Offboarded, ReleasedAliases = e.ReleasedAliases },
        _ => state,
    };
}
