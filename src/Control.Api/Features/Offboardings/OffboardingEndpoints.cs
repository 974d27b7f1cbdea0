using Control.Api.Auth;
using Control.Api.Features.Access;
using Control.Api.Features.People;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public static class StartOffboardingEndpoint
{
    public const int MaxReceiptDeadlineSeconds = 7 * 24 * 3600;

    /// <summary>
    /// Starts (or schedules) an offboarding: its stream, the person's state and the saga with its first step's message
    /// are written in one transaction (Wolverine's outbox), so a crash right after the answer loses nothing.
    /// </summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings")]
    public static async Task<IResult> Post(
        StartOffboardingRequest request, IDocumentSession session, IMessageBus bus, TimeProvider clock, IOptions<ControlOptions> options,
        HttpContext http, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Person))
        {
            errors["person"] = ["Name the person (id, e-mail or exact name)."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            errors["reason"] = [$"A reason (at most {ValidationRules.MaxReasonLength} characters) is required."];
        }

        OffboardingMode mode = OffboardingMode.Exposure;
        if (request.Mode is not (null or "exposure" or "full"))
        {
            errors["mode"] = ["The mode is exposure (rotate what they know) or full (rotate everything they could reach)."];
        }
        else if (request.Mode == "full")
        {
            mode = OffboardingMode.Full;
        }

        if (request.ReceiptDeadlineSeconds is < 1 or > MaxReceiptDeadlineSeconds)
        {
            errors["receiptDeadlineSeconds"] = [$"The receipt deadline is 1-{MaxReceiptDeadlineSeconds} seconds."];
        }

        var now = clock.GetUtcNow();
        if (request.EffectiveAt is { } at && at > now.AddYears(1))
        {
            errors["effectiveAt"] = ["An offboarding is scheduled at most a year ahead."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var found = await PersonLookup.Find(session, request.Person, cancellation);
        if (found is null)
        {
            return Problems.NotFound("person").ToResult();
        }

        var person = await session.Events.FetchForWriting<Person>(found.Id, cancellation);
        var id = Guid.CreateVersion7();
        var actor = http.User.Actor();
        var decision = PersonDecider.Decide(new StartOffboarding(id), person.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var effectiveAt = request.EffectiveAt is { } when && when > now ? when : (DateTimeOffset?)null;
        var deadline = request.ReceiptDeadlineSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : options.Value.OffboardingReceiptDeadline;
        session.RecordAs(actor, request.Reason, http);
        session.CorrelationId = id.ToString();
        person.AppendMany(decision.Events.ToArray());
        var requested = new OffboardingRequested(id, found.Id, found.Name, mode, request.Reason!.Trim(), effectiveAt, deadline, actor, now, http.User.OperatorRole());
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
}

public static class CancelOffboardingEndpoint
{
    /// <summary>Cancels a scheduled offboarding (or one awaiting approval). Once its first step has begun it runs to the end (a half-done offboarding protects no one).</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverinePost("/offboardings/{id}/cancel")]
    public static async Task<IResult> Post(Guid id, ReasonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required."] });
        }

        var stream = await session.Events.FetchForWriting<Offboarding>(id, cancellation);
        if (stream.Aggregate is not { } offboarding)
        {
            return Problems.NotFound("offboarding").ToResult();
        }

        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = OffboardingDecider.Cancel(offboarding, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(actor, request.Reason, http);
        session.CorrelationId = id.ToString();
        stream.AppendMany(decision.Events.ToArray());
        var person = await session.Events.FetchForWriting<Person>(offboarding.PersonId, cancellation);
        person.AppendMany(PersonDecider.Decide(new Domain.People.CancelOffboarding(id), person.Aggregate!, actor, now).Events.ToArray());
        var cancelled = decision.Events.Aggregate(offboarding, (o, e) => Offboarding.Evolve(o, e)!);
        cancelled.Version = offboarding.Version + decision.Events.Count;
        return Results.Ok(OffboardingViews.Response(cancelled, []));
    }
}

public static class GetOffboardingEndpoints
{
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings")]
    public static async Task<IReadOnlyList<OffboardingResponse>> List(IQuerySession session, CancellationToken cancellation)
    {
        var all = await session.Query<Offboarding>().OrderByDescending(o => o.RequestedAt).Take(200).ToListAsync(cancellation);
        return all.Select(o => OffboardingViews.Response(o, [])).ToList();
    }

    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken cancellation)
    {
        var offboarding = await session.LoadAsync<Offboarding>(id, cancellation);
        return offboarding is null
            ? Problems.NotFound("offboarding").ToResult()
            : Results.Ok(OffboardingViews.Response(
                offboarding, await OffboardingViews.Receipts(session, id, cancellation),
                offboarding.Status == OffboardingStatus.Running ? await OffboardingViews.Batches(session, id, cancellation) : []));
    }

    /// <summary>The proof, as JSON (default) or Markdown (<c>?format=md</c>).</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings/{id}/report")]
    public static async Task<IResult> Report(Guid id, IQuerySession session, TimeProvider clock, CancellationToken cancellation, string? format = null)
    {
        if (format is not (null or "json" or "md"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Formats: json, md."] });
        }

        var offboarding = await session.LoadAsync<Offboarding>(id, cancellation);
        if (offboarding is null)
        {
            return Problems.NotFound("offboarding").ToResult();
        }

        var person = await session.LoadAsync<Person>(offboarding.PersonId, cancellation);
        var state = await AccessState.Load(session, cancellation);
        var response = OffboardingViews.Response(offboarding, await OffboardingViews.Receipts(session, id, cancellation));
        var report = new OffboardingReport(
            response,
            Seconds(offboarding.StartedAt, offboarding.ChangesCommittedAt),
            Seconds(offboarding.StartedAt, offboarding.LastReceiptAt),
            state.ReachableBy(person!),
            clock.GetUtcNow());
        return format == "md" ? Results.Text(OffboardingReportMarkdown.Render(report), "text/markdown; charset=utf-8") : Results.Ok(report);
    }

    private static double? Seconds(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } a && to is { } b ? Math.Round((b - a).TotalSeconds, 3) : null;
}
