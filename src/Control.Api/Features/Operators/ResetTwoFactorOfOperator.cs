using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Removes an operator's second factor (lost device). Their tokens die; they enrol again after signing in.</summary>
public static class ResetTwoFactorOfOperatorEndpoint
{
    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/reset-2fa")]
    public static async Task<IResult> Post(
        OperatorActionRequest request, [OperatorStream] IEventStream<Operator> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var decision = OperatorDecider.Decide(new ResetTwoFactor(), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), now);
        await ViewerCertificateRevocation.Append(session, stream.Aggregate!, decision, http.User.Actor(), now, cancellation);
        return OperatorAction.Apply(stream, decision);
    }
}
