using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public sealed record ApproveOffboardingRequest(string? Reason) : IReasonedRequest;

/// <summary>
/// The second owner's approval of an offboarding of a person with owner or security-admin accounts (the two-person rule):
/// who may approve is the decider's rule; the approval sends the first step (at its scheduled time, if that is still ahead).
/// </summary>
public static class ApproveOffboardingEndpoint
{
    public sealed class Validator : AbstractValidator<ApproveOffboardingRequest>
    {
        public Validator() => RuleFor(x => x.Reason).Reason($"A reason (at most {ValidationRules.MaxReasonLength} characters) is required.");
    }

    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings/{id}/approve")]
    public static async Task<IResult> Post(
        ApproveOffboardingRequest request, [OffboardingStream] IEventStream<Offboarding> stream, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        HttpContext http)
    {
        var offboarding = stream.Aggregate!;
        var now = clock.GetUtcNow();
        var decision = OffboardingApproval.Decide(new ApproveOffboarding(), offboarding, http.User.OperatorRole(), http.User.Actor(), now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var approved = OffboardingStream.Append(session, stream, decision);
        // A time still ahead keeps the message sent at the request; a time passed while it waited means now.
        if (offboarding.EffectiveAt is not { } at || at <= now)
        {
            await bus.PublishAsync(new RunOffboardingStep(stream.Id, 1), new DeliveryOptions { TenantId = session.TenantId });
        }

        return Results.Ok(OffboardingViews.Response(approved, []));
    }
}
