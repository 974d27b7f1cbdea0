using Control.Api.Auth;
using Control.Api.Features.People;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Control.Domain.People;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

/// <summary>The stream of the person the request's <c>person</c> names (id, e-mail or unique name), for writing.</summary>
public sealed class PersonToOffboardStreamAttribute() : WriteStreamAttribute(typeof(PersonToOffboardStream), route: null);

public static class PersonToOffboardStream
{
    public static Task<(IEventStream<Person>? Stream, ProblemDetails Problem)> Load(IDocumentSession session, StartOffboardingRequest request, CancellationToken cancellation) =>
        PersonStream.Load(session, request.Person!, cancellation);
}

public static class StartOffboardingEndpoint
{
    public const int MaxReceiptDeadlineSeconds = 7 * 24 * 3600;

    public sealed class Validator : AbstractValidator<StartOffboardingRequest>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Person).Must(p => !string.IsNullOrWhiteSpace(p)).WithMessage("Name the person (id, e-mail or exact name).");
            RuleFor(x => x.Reason).Reason($"A reason (at most {ValidationRules.MaxReasonLength} characters) is required.");
            RuleFor(x => x.Mode).Must(m => Mode(m) is not null)
                .WithMessage("The mode is exposure (rotate what they know) or full (rotate everything they could reach).");
            RuleFor(x => x.ReceiptDeadlineSeconds).Must(s => s is null or (>= 1 and <= MaxReceiptDeadlineSeconds))
                .WithMessage($"The receipt deadline is 1-{MaxReceiptDeadlineSeconds} seconds.");
            RuleFor(x => x.EffectiveAt).Must(at => at is null || at <= clock.GetUtcNow().AddYears(1))
                .WithMessage("An offboarding is scheduled at most a year ahead.");
        }
    }

    /// <summary>
    /// Starts (or schedules) an offboarding: its stream, the person's state and the saga with its first step's message
    /// are written in one transaction (Wolverine's outbox), so a crash right after the answer loses nothing.
    /// </summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings")]
    public static async Task<IResult> Post(
        StartOffboardingRequest request, [PersonToOffboardStream] IEventStream<Person> person, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        IOptions<ControlOptions> options, HttpContext http, CancellationToken cancellation)
    {
        var id = Guid.CreateVersion7();
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = PersonDecider.Decide(new StartOffboarding(id), person.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var effectiveAt = request.EffectiveAt is { } when && when > now ? when : (DateTimeOffset?)null;
        var deadline = request.ReceiptDeadlineSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.OffboardingReceiptDeadline;
        // Correlated to the offboarding, as everything its steps append later is.
        session.CorrelationId = id.ToString();
        person.AppendMany(decision.Events.ToArray());
        var requested = new OffboardingRequested(
            id, person.Id, person.Aggregate!.Name, Mode(request.Mode)!.Value, request.Reason!.Trim(), effectiveAt, deadline, actor, now, http.User.OperatorRole());
        var offboarding = Offboarding.Evolve(null, requested)!;
        var approval = await OffboardingApprovals.Request(session, offboarding, person.Aggregate!, now, cancellation);
        session.Events.StartStream<Offboarding>(id, [requested, .. approval.Events]);
        offboarding = approval.Events.Aggregate(offboarding, (o, e) => Offboarding.Evolve(o, e)!);
        session.Store(new OffboardingSaga { Id = id });
        // Also while it awaits approval: the step finds it waiting and does nothing; the approval sends the step again.
        await bus.PublishAsync(new RunOffboardingStep(id, 1), new DeliveryOptions { TenantId = session.TenantId, ScheduledTime = effectiveAt });

        offboarding.Version = 1 + approval.Events.Count;
        return Results.Accepted($"/offboardings/{id}", OffboardingViews.Response(offboarding, []));
    }

    private static OffboardingMode? Mode(string? mode) => mode switch
    {
        null or "exposure" => OffboardingMode.Exposure,
        "full" => OffboardingMode.Full,
        _ => null,
    };
}
