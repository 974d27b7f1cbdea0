using Control.Domain.Clients;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace Control.Api.Features.Clients;

/// <summary>Clients' documents: the folded client (inline), found by its number and its alias.</summary>
public static class ClientStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Projections.Add<ClientProjection>(ProjectionLifecycle.Inline);
        opts.Schema.For<Client>().Index(x => x.Number).Index(x => x.Alias!);
    }
}

/// <summary>Takes every event: a client stream is the one any feature may add to (see <see cref="Infrastructure.StreamEvents"/>).</summary>
public sealed class ClientProjection : SingleStreamProjection<Client, Guid>
{
    public override Client? Evolve(Client? snapshot, Guid id, IEvent e) => Client.Evolve(snapshot, e.Data);
}
