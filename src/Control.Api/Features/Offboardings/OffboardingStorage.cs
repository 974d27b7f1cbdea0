using Control.Api.Infrastructure;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Control.Api.Features.Offboardings;

/// <summary>Offboardings' documents: the folded offboarding (inline), its expected receipts, sealed secrets and batches.</summary>
public static class OffboardingStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<OffboardingProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<Domain.Offboarding.Offboarding>().Index(x => x.RequestedAt);
        opts.Schema.For<OffboardingReceipt>().Index(x => x.OffboardingId).Index(x => x.ClientId).Index(x => x.Pending);
        opts.Schema.For<SealedSecret>();
        opts.Schema.For<OffboardingBatch>().Index(x => x.OffboardingId);
    }
}

public sealed class OffboardingProjection : SingleStreamProjection<Domain.Offboarding.Offboarding, Guid>
{
    public OffboardingProjection() => this.IncludeEventsOf<Domain.Offboarding.Offboarding>();

    public override Domain.Offboarding.Offboarding? Evolve(Domain.Offboarding.Offboarding? snapshot, Guid id, IEvent e) =>
        Domain.Offboarding.Offboarding.Evolve(snapshot, e.Data);
}
