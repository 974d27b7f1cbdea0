using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Enables a disabled operator again (with the credentials they had; tokens issued before stay dead).</summary>
public static class EnableOperatorEndpoint
{
    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/enable")]
    public static IResult Post(OperatorActionRequest request, [OperatorStream] IEventStream<Operator> stream, TimeProvider clock, HttpContext http) =>
        OperatorAction.Apply(stream, OperatorDecider.Decide(new EnableOperator(), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), clock.GetUtcNow()));
}
