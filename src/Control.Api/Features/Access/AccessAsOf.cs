using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.People;
using Microsoft.AspNetCore.Mvc;

namespace Control.Api.Features.Access;

/// <summary>
/// The access review as it was at a past time: the events up to then (only those the review folds, see
/// <see cref="AccessEventLog"/>) replayed into the aggregates by <see cref="AccessHistory"/>, then the same
/// <see cref="AccessState"/> answers as for now.
/// </summary>
public static class AccessAsOf
{
    /// <summary>A time in the future has no answer yet (a little clock skew between caller and server is tolerated).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public static ProblemDetails? Refuse(DateTimeOffset? at, TimeProvider clock) =>
        at is { } moment && moment > clock.GetUtcNow() + ClockSkew
            ? Problems.Field("at", "The time is in the future: the access review as of a time answers for now or the past.")
            : null;

    /// <param name="target">The client as it is now (its id does not change; its state at the time comes from the events).</param>
    public static async Task<WhoCanReachResponse> WhoCanReach(AccessEventLog log, string tenant, Client target, DateTimeOffset at, CancellationToken cancellation)
    {
        var history = AccessHistory.Replay(await log.ForReview(tenant, at, target.Id, cancellation));
        var client = history.Clients.FirstOrDefault(c => c.Id == target.Id);
        if (history.Organization is null || client is null)
        {
            return new WhoCanReachResponse(target.Id, AccessReview.Label(target), false, [], [], at,
                history.Organization is null ? "The organization did not exist yet at that time." : "The client was not enrolled yet at that time.");
        }

        return State(history).WhoCanReach(client, at);
    }

    /// <param name="target">The person as recorded now (the id does not change; their state at the time comes from the events).</param>
    public static async Task<ReachableByResponse> ReachableBy(AccessEventLog log, string tenant, Person target, DateTimeOffset at, CancellationToken cancellation)
    {
        var events = await log.ForReview(tenant, at, null, cancellation);

        // The person's operator aliases at the time decide which sign-ins and remember-tokens taught them something.
        var identities = AccessHistory.Replay(events.Where(e => e.Stream is StreamKind.Person or StreamKind.Operator));
        var person = identities.People.FirstOrDefault(p => p.Id == target.Id);
        if (person is null)
        {
            return new ReachableByResponse(target.Id, target.Name, false, [], [], at, "The person was not recorded yet at that time.");
        }

        var linked = person.Operators.Select(o => o.OperatorId).ToHashSet();
        var aliases = identities.Operators.Where(o => linked.Contains(o.Id)).Select(AccessReview.AliasOf).ToList();
        var history = AccessHistory.Replay(aliases.Count == 0 ? events : [.. events, .. await log.KnowledgeOf(tenant, at, aliases, cancellation)]);
        if (history.Organization is null)
        {
            return new ReachableByResponse(target.Id, target.Name, false, [], [], at, "The organization did not exist yet at that time.");
        }

        return State(history).ReachableBy(history.People.First(p => p.Id == target.Id), at);
    }

    private static AccessState State(AccessHistory history) => new(
        history.Organization!, history.Clients.Where(c => c.Status == ClientStatus.Active).ToList(), history.Operators.ToList(), history.People.ToList(),
        history.Knowledge.ToList(), []);
}
