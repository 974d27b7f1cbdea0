using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Removes an operator's second factor (lost device). Their tokens die; they enrol again after signing in.</summary>
public static class ResetTwoFactorOfOperatorEndpoint
{

    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/reset-2fa")]
    public static async Task<IResult> Post(
        Guid id, OperatorActionRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var (stream, problem) = await OperatorAction.Load(session, id, request, cancellation);
        if (stream is null)
        {
            return problem!;
        }

        var now = clock.GetUtcNow();
        var decision = OperatorDecider.Decide(new ResetTwoFactor(), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), now);
        await ViewerCertificateRevocation.Append(session, stream.Aggregate!, decision, http.User.Actor(), now, cancellation);
        return OperatorAction.Apply(session, stream, decision, request, http);
    }
}
