using Control.Api.Infrastructure;
using Control.Domain.CustomClients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Control.Api.Features.CustomClients;

/// <summary>Custom clients' documents: the folded custom client (inline, found by its link's hash) and enrolment tickets.</summary>
public static class CustomClientStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<CustomClientProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<CustomClient>().Index(x => x.TokenHash);
        opts.Schema.For<EnrolmentTicket>().UseOptimisticConcurrency(true);
    }
}

public sealed class CustomClientProjection : SingleStreamProjection<CustomClient, Guid>
{
    public CustomClientProjection() => this.IncludeEventsOf<CustomClient>();

    public override CustomClient? Evolve(CustomClient? snapshot, Guid id, IEvent e) => CustomClient.Evolve(snapshot, e.Data);
}
