using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

public static class WhoAmIEndpoint
{
    [Authorize(Policy = Policies.AnyOperator)]
    [WolverineGet("/me")]
    public static async Task<WhoAmIResponse> Get(IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<Operator>(http.User.OperatorId(), cancellation);
        return TokenService.WhoAmI(account!);
    }
}
