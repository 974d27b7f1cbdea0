using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Voids an operator's password and tokens, and returns a one-time activation code (shown once) to set a new one.</summary>
public static class ResetPasswordOfOperatorEndpoint
{
    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators/{id}/reset-password")]
    public static async Task<IResult> Post(
        OperatorActionRequest request, [OperatorStream] IEventStream<Operator> stream, IDocumentSession session, IOptions<ControlOptions> options,
        TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var code = Secrets.NewCode();
        var expires = now + options.Value.ActivationCodeLifetime;
        var owners = await ActiveOwners.Count(session, [stream.Aggregate!], cancellation);
        var decision = OperatorDecider.Decide(
            new ResetPassword(Secrets.HashCode(code), expires, owners), stream.Aggregate!, http.User.OperatorRole(), http.User.Actor(), now);
        await ViewerCertificateRevocation.Append(session, stream.Aggregate!, decision, http.User.Actor(), now, cancellation);
        return OperatorAction.Apply(stream, decision, (state, version) => new PasswordResetResponse(state.Id, code, expires, version));
    }
}
