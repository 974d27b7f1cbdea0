using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten.Events.Aggregation;

namespace Control.Api.Projections;

// The domain's aggregates fold their own streams (Evolve); these adapters hand Marten that fold, so Control.Domain
// needs no event-store attributes, base classes or source generators.
//
// A fold over any event tells Marten nothing of which streams it cares about, so each inline projection used to be handed
// every stream a transaction appends: an offboarding batch of a thousand clients was sliced, looked up (a query per
// projection) and folded to nothing by six projections besides the clients'. Each of those six now declares its streams'
// events: every record of its aggregate's namespace (where each stream kind's events live; commands and value records in
// the list are never appended and cost nothing) and SecretRevealed, which several kinds of stream carry. A stream with
// none of them is skipped; one with any is folded whole, as before. The client projection keeps taking everything: a
// client stream is the one that any feature may add to. The test ProjectionVersions checks that every document
// still has its stream's version.

internal static class StreamEvents
{
    /// <summary>Lets <paramref name="projection"/> see only streams with an event of <typeparamref name="TAggregate"/>'s namespace (or a SecretRevealed).</summary>
    public static void IncludeEventsOf<TAggregate>(this EventFilterable projection)
    {
        foreach (var type in typeof(TAggregate).Assembly.GetExportedTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && t.Namespace == typeof(TAggregate).Namespace && t.GetMethod("<Clone>$") is not null))
        {
            projection.IncludeType(type);
        }

        projection.IncludeType<SecretRevealed>();
    }
}

public sealed class OperatorProjection : SingleStreamProjection<Operator, Guid>
{
    public OperatorProjection() => this.IncludeEventsOf<Operator>();

    public override Operator? Evolve(Operator? snapshot, Guid id, IEvent e) => Operator.Evolve(snapshot, e.Data);
}

public sealed class OrganizationProjection : SingleStreamProjection<Organization, Guid>
{
    public OrganizationProjection() => this.IncludeEventsOf<Organization>();

    public override Organization? Evolve(Organization? snapshot, Guid id, IEvent e) => Organization.Evolve(snapshot, e.Data);
}

public sealed class ClientProjection : SingleStreamProjection<Client, Guid>
{
    public override Client? Evolve(Client? snapshot, Guid id, IEvent e) => Client.Evolve(snapshot, e.Data);
}

public sealed class CustomClientProjection : SingleStreamProjection<CustomClient, Guid>
{
    public CustomClientProjection() => this.IncludeEventsOf<CustomClient>();

    public override CustomClient? Evolve(CustomClient? snapshot, Guid id, IEvent e) => CustomClient.Evolve(snapshot, e.Data);
}

public sealed class SessionSummaryProjection : SingleStreamProjection<Domain.Sessions.SessionSummary, Guid>
{
    public SessionSummaryProjection() => this.IncludeEventsOf<Domain.Sessions.SessionSummary>();

    public override Domain.Sessions.SessionSummary? Evolve(Domain.Sessions.SessionSummary? snapshot, Guid id, IEvent e) =>
        Domain.Sessions.SessionSummary.Evolve(snapshot, e.Data);
}

public sealed class PersonProjection : SingleStreamProjection<Domain.People.Person, Guid>
{
    public PersonProjection() => this.IncludeEventsOf<Domain.People.Person>();

    public override Domain.People.Person? Evolve(Domain.People.Person? snapshot, Guid id, IEvent e) => Domain.People.Person.Evolve(snapshot, e.Data);
}

public sealed class OffboardingProjection : SingleStreamProjection<Domain.Offboarding.Offboarding, Guid>
{
    public OffboardingProjection() => this.IncludeEventsOf<Domain.Offboarding.Offboarding>();

    public override Domain.Offboarding.Offboarding? Evolve(Domain.Offboarding.Offboarding? snapshot, Guid id, IEvent e) =>
        Domain.Offboarding.Offboarding.Evolve(snapshot, e.Data);
}
