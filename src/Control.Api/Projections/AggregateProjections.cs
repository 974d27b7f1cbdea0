using Control.Domain.Clients;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Control.Api.Projections;

// The domain's aggregates fold their own streams (Evolve); these adapters hand Marten that fold, so Control.Domain
// needs no event-store attributes, base classes or source generators.

public sealed class OperatorProjection : SingleStreamProjection<Operator, Guid>
{
    public override Operator? Evolve(Operator? snapshot, Guid id, IEvent e) => Operator.Evolve(snapshot, e.Data);
}

public sealed class OrganizationProjection : SingleStreamProjection<Organization, Guid>
{
    public override Organization? Evolve(Organization? snapshot, Guid id, IEvent e) => Organization.Evolve(snapshot, e.Data);
}

public sealed class ClientProjection : SingleStreamProjection<Client, Guid>
{
    public override Client? Evolve(Client? snapshot, Guid id, IEvent e) => Client.Evolve(snapshot, e.Data);
}

public sealed class CustomClientProjection : SingleStreamProjection<CustomClient, Guid>
{
    public override CustomClient? Evolve(CustomClient? snapshot, Guid id, IEvent e) => CustomClient.Evolve(snapshot, e.Data);
}

public sealed class SessionSummaryProjection : SingleStreamProjection<Domain.Sessions.SessionSummary, Guid>
{
    public override Domain.Sessions.SessionSummary? Evolve(Domain.Sessions.SessionSummary? snapshot, Guid id, IEvent e) =>
        Domain.Sessions.SessionSummary.Evolve(snapshot, e.Data);
}

public sealed class PersonProjection : SingleStreamProjection<Domain.People.Person, Guid>
{
    public override Domain.People.Person? Evolve(Domain.People.Person? snapshot, Guid id, IEvent e) => Domain.People.Person.Evolve(snapshot, e.Data);
}

public sealed class OffboardingProjection : SingleStreamProjection<Domain.Offboarding.Offboarding, Guid>
{
    public override Domain.Offboarding.Offboarding? Evolve(Domain.Offboarding.Offboarding? snapshot, Guid id, IEvent e) =>
        Domain.Offboarding.Offboarding.Evolve(snapshot, e.Data);
}
