using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

public static class ListOperatorsEndpoint
{
    /// <summary>Each row says whether the caller may manage that account, so the portal shows only the actions the API would accept.</summary>
    [Authorize(Policy = Policies.ReadOperators)]
    [WolverineGet("/operators")]
    public static async Task<IReadOnlyList<OperatorSummary>> Get(IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var operators = await session.Query<Operator>().OrderBy(x => x.Username).ToListAsync(cancellation);
        var (role, actor) = (http.User.OperatorRole(), http.User.Actor());
        return operators.Select(o => ToSummary(o) with { CallerMayManage = OperatorDecider.MayManage(o, role, actor) }).ToList();
    }

    public static OperatorSummary ToSummary(Operator o) =>
        new(o.Id, o.Username, o.Role.ToName(), o.Status.ToString().ToLowerInvariant(), o.TwoFactor.Enabled, o.CreatedAt, o.LastSignInAt, o.Version);
}
