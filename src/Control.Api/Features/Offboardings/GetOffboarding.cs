using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Offboarding;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public static class GetOffboardingEndpoint
{
    /// <summary>One offboarding with its receipts, and, while a step runs, what that step's committed batches changed so far.</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken cancellation)
    {
        var offboarding = await session.LoadAsync<Offboarding>(id, cancellation);
        return offboarding is null
            ? Problems.NotFound("offboarding").ToResult()
            : Results.Ok(OffboardingViews.Response(
                offboarding, await OffboardingViews.Receipts(session, id, cancellation),
                offboarding.Status == OffboardingStatus.Running ? await OffboardingViews.Batches(session, id, cancellation) : []));
    }
}
