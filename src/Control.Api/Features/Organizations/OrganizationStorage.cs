using Control.Api.Infrastructure;
using Control.Domain.Organizations;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Control.Api.Features.Organizations;

/// <summary>Organizations' documents: the folded organization (inline).</summary>
public static class OrganizationStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<OrganizationProjection>(ProjectionLifecycle.Inline);
    }
}

public sealed class OrganizationProjection : SingleStreamProjection<Organization, Guid>
{
    public OrganizationProjection() => this.IncludeEventsOf<Organization>();

    public override Organization? Evolve(Organization? snapshot, Guid id, IEvent e) => Organization.Evolve(snapshot, e.Data);
}
