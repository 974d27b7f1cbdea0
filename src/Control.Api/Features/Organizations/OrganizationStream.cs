using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using JasperFx.Events;
using Marten;

namespace Control.Api.Features.Organizations;

/// <summary>The stream of the caller's organization (the tenant has exactly one), for writing.</summary>
public sealed class OrganizationStreamAttribute() : WriteStreamAttribute(typeof(OrganizationStream), route: null);

public static class OrganizationStream
{
    public static async Task<IEventStream<Organization>> Load<TRequest>(IDocumentSession session, TRequest request, CancellationToken cancellation)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        return await session.FetchForWriting<Organization>(organization.Id, request as IVersionedRequest, cancellation);
    }
}
