using Control.Api.Infrastructure;
using Control.Domain.Operators;
using JasperFx.Events;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events.Aggregation;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;

namespace Control.Api.Features.Operators;

/// <summary>Operators' documents: the folded operator (inline), its user name unique within its organization.</summary>
public static class OperatorStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<OperatorProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<Operator>().UniqueIndex(UniqueIndexType.Computed, "ux_operator_username", TenancyScope.PerTenant, x => x.Username);
    }
}

public sealed class OperatorProjection : SingleStreamProjection<Operator, Guid>
{
    public OperatorProjection() => this.IncludeEventsOf<Operator>();

    public override Operator? Evolve(Operator? snapshot, Guid id, IEvent e) => Operator.Evolve(snapshot, e.Data);
}
