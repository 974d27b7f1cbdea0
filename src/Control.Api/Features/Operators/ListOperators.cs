using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

public static class ListOperatorsEndpoint
{
    [Authorize(Policy = Policies.ReadOperators)]
    [WolverineGet("/operators")]
    public static async Task<IReadOnlyList<OperatorSummary>> Get(IQuerySession session, CancellationToken cancellation)
    {
        var operators = await session.Query<Operator>().OrderBy(x => x.Username).ToListAsync(cancellation);
        return operators.Select(ToSummary).ToList();
    }

    public static OperatorSummary ToSummary(Operator o) =>
        new(o.Id, o.Username, o.Role.ToName(), o.Status.ToString().ToLowerInvariant(), o.TwoFactor.Enabled, o.CreatedAt, o.LastSignInAt, o.Version);
}
