using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// The second owner's approval of an offboarding of a person with owner or security-admin accounts (the two-person rule):
/// who may approve is the decider's rule; the approval sends the first step (at its scheduled time, if that is still ahead).
/// </summary>
public static class ApproveOffboardingEndpoint
{
    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings/{id}/approve")]
    public static async Task<IResult> Post(
        Guid id, ReasonRequest request, IDocumentSession session, IMessageBus bus, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [$"A reason (at most {ValidationRules.MaxReasonLength} characters) is required."] });
        }

        var stream = await session.Events.FetchForWriting<Offboarding>(id, cancellation);
        if (stream.Aggregate is not { } offboarding)
        {
            return Problems.NotFound("offboarding").ToResult();
        }

        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OffboardingApproval.Decide(new ApproveOffboarding(), offboarding, http.User.OperatorRole(), actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(actor, request.Reason, http);
        session.CorrelationId = id.ToString();
        stream.AppendMany(decision.Events.ToArray());
        // A time still ahead keeps the message sent at the request; a time passed while it waited means now.
        if (offboarding.EffectiveAt is not { } at || at <= now)
        {
            await bus.PublishAsync(new RunOffboardingStep(id, 1), new DeliveryOptions { TenantId = session.TenantId });
        }

        var approved = decision.Events.Aggregate(offboarding, (o, e) => Offboarding.Evolve(o, e)!);
        approved.Version = offboarding.Version + decision.Events.Count;
        return Results.Ok(OffboardingViews.Response(approved, []));
    }
}
