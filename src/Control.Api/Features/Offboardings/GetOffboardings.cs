using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public static class GetOffboardingsEndpoint
{
    /// <summary>The latest 200 offboardings, newest first (without receipts: those are per offboarding).</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings")]
    public static async Task<IReadOnlyList<OffboardingResponse>> Get(IQuerySession session, CancellationToken cancellation)
    {
        var all = await session.Query<Offboarding>().OrderByDescending(o => o.RequestedAt).Take(200).ToListAsync(cancellation);
        return all.Select(o => OffboardingViews.Response(o, [])).ToList();
    }
}
