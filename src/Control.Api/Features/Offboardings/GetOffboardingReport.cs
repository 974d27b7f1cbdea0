using Control.Api.Auth;
using Control.Api.Features.Access;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

public static class GetOffboardingReportEndpoint
{
    /// <summary>The proof, as JSON (default) or Markdown (<c>?format=md</c>).</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings/{id}/report")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider clock, CancellationToken cancellation, string? format = null)
    {
        if (format is not (null or "json" or "md"))
        {
            return Problems.Field("format", "Formats: json, md.").ToResult();
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
