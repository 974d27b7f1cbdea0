using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

/// <summary>The stream of the offboarding the route's <c>{id}</c> names, for writing.</summary>
public sealed class OffboardingStreamAttribute() : WriteStreamAttribute(typeof(OffboardingStream), "id");

public static class OffboardingStream
{
    public static async Task<(IEventStream<Offboarding>? Stream, ProblemDetails Problem)> Load<TRequest>(
        IDocumentSession session, Guid key, TRequest request, CancellationToken cancellation)
    {
        var stream = await session.FetchForWriting<Offboarding>(key, request as IVersionedRequest, cancellation);
        return stream.Aggregate is null ? (null, Problems.NotFound("offboarding")) : (stream, WolverineContinue.NoProblems);
    }

    /// <summary>
    /// Appends an accepted decision about the offboarding; the offboarding after it. Every event an offboarding's request,
    /// approval or cancellation appends is correlated to the offboarding, so that its audit trail reads as one story.
    /// </summary>
    public static Offboarding Append(IDocumentSession session, IEventStream<Offboarding> stream, Decision decision)
    {
        session.CorrelationId = stream.Id.ToString();
        var (state, version) = stream.Append(decision, Offboarding.Evolve);
        state.Version = version;
        return state;
    }
}
