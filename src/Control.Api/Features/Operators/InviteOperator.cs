using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Operators;

/// <summary>Creates an operator account; the invitee activates it with the one-time code returned here (shown once).</summary>
public static class InviteOperatorEndpoint
{
    public sealed class Validator : AbstractValidator<InviteOperatorRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Username).Username();
            RuleFor(x => x.Role).Role();
            RuleFor(x => x.Reason).Reason();
        }
    }

    [Authorize(Policy = Policies.ManageOperators)]
    [WolverinePost("/operators")]
    public static async Task<IResult> Post(
        InviteOperatorRequest request, IDocumentSession session, IOptions<ControlOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var user = http.User;
        var role = OperatorRoles.TryParse(request.Role, out var parsed) ? parsed : throw new InvalidOperationException("Validated role did not parse.");
        var taken = await session.Query<Operator>().AnyAsync(x => x.Username == request.Username, cancellation);
        var organization = await session.Query<Domain.Organizations.Organization>().SingleAsync(cancellation);
        var id = Guid.CreateVersion7();
        var code = Secrets.NewCode();
        var expires = now + options.Value.ActivationCodeLifetime;
        var decision = OperatorDecider.Decide(
            new InviteOperator(id, organization.Id, organization.Slug, request.Username!, role, Secrets.HashCode(code), expires),
            taken, user.OperatorRole(), user.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        session.Events.StartStream<Operator>(id, decision.Events.ToArray());
        return Results.Created($"/operators/{id}", new InviteOperatorResponse(id, request.Username!, role.ToName(), code, expires, decision.Events.Count));
    }
}
