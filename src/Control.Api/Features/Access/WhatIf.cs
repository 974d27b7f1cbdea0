using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Control.Domain.Sessions;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Access;

/// <summary>
/// <c>POST /access/what-if</c>: the sessions of the last N days that a proposed ACL change (one client's, or the
/// organization-wide entries) would have refused, and for information the denied ones it would have let past the ACL.
/// It reads through a query session, which cannot append: nothing is changed.
/// </summary>
public static class WhatIfEndpoint
{
    public sealed class Validator : AbstractValidator<WhatIfRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Client).NotEmpty().When(x => !x.OrganizationWide)
                .WithMessage("Name the client (alias, number or id), or propose an organization-wide change.");
            RuleFor(x => x.Client).Empty().When(x => x.OrganizationWide)
                .WithMessage("An organization-wide proposal names no client.");
            RuleFor(x => x).Must(x => (x.Add?.Count ?? 0) + (x.Remove?.Count ?? 0) > 0 || x.AclEnabled is not null).WithName("add")
                .WithMessage("Propose something: entries to add or remove, or the ACL switched on or off.");
            RuleFor(x => (x.Add ?? Array.Empty<string>()).Count + (x.Remove ?? Array.Empty<string>()).Count).LessThanOrEqualTo(WhatIfLimits.MaxEntries).WithName("add")
                .WithMessage($"At most {WhatIfLimits.MaxEntries} entries per proposal.");
            RuleFor(x => x.Days).InclusiveBetween(1, WhatIfLimits.MaxDays).When(x => x.Days is not null)
                .WithMessage($"Days is between 1 and {WhatIfLimits.MaxDays}.");
        }
    }

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverinePost("/access/what-if")]
    public static async Task<IResult> Post(WhatIfRequest request, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var days = request.Days ?? WhatIfLimits.DefaultDays;
        var since = now.AddDays(-days);
        var proposal = new AclProposal(request.Add ?? [], request.Remove ?? [], request.AclEnabled, request.AllowEveryone);
        var actor = http.User.Actor();
        var organization = await session.Query<Organization>().SingleAsync(cancellation);

        if (request.OrganizationWide)
        {
            var (proposedOrganization, refusal) = AclWhatIf.Propose(organization, proposal, actor, now);
            if (refusal is not null)
            {
                return Problems.From(refusal).ToResult();
            }

            var sessions = await session.Query<SessionSummary>().Where(s => s.StartedAt >= since).ToListAsync(cancellation);
            var ids = sessions.Select(s => s.ClientId).Distinct().ToArray();
            var clients = (await session.LoadManyAsync<Client>(cancellation, ids)).Where(c => c.Status == ClientStatus.Active).ToDictionary(c => c.Id);
            var verdicts = AclWhatIf.Judge(
                sessions,
                id => clients.TryGetValue(id, out var c) ? (c, organization) : null,
                id => clients.TryGetValue(id, out var c) ? (c, proposedOrganization!) : null,
                now);
            return Results.Ok(Response("organization-wide", days, since, sessions.Count, verdicts, clients));
        }

        var target = await ClientLookup.Find(session, request.Client!, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var (proposedClient, clientRefusal) = AclWhatIf.Propose(target, proposal, actor, now);
        if (clientRefusal is not null)
        {
            return Problems.From(clientRefusal).ToResult();
        }

        var history = await session.Query<SessionSummary>().Where(s => s.ClientId == target.Id && s.StartedAt >= since).ToListAsync(cancellation);
        var judged = AclWhatIf.Judge(history, _ => (target, organization), _ => (proposedClient!, organization), now);
        return Results.Ok(Response(AccessReview.Label(target), days, since, history.Count, judged, new Dictionary<Guid, Client> { [target.Id] = target }));
    }

    private static WhatIfResponse Response(
        string scope, int days, DateTimeOffset since, int checkedCount, IReadOnlyList<WhatIfVerdict> verdicts, Dictionary<Guid, Client> clients)
    {
        WhatIfSession Row(WhatIfVerdict v) => new(
            v.Session.Id, v.Session.ClientId, clients.TryGetValue(v.Session.ClientId, out var c) ? AccessReview.Label(c) : v.Session.ClientId.ToString(),
            v.Session.ViewerAlias!, v.Session.RequestedAt ?? v.Session.StartedAt,
            v.Session.AuthenticatedAt is not null ? $"admitted ({string.Join(", ", v.Session.Methods)})" : $"denied: {v.Session.DeniedReason}",
            v.Refused ? $"refused: {v.ProposedRefusal}" : "admitted by the proposed ACL (the other checks still apply)");
        return new WhatIfResponse(
            scope, days, since, verdicts.Where(v => v.Refused).Select(Row).ToList(), verdicts.Where(v => !v.Refused).Select(Row).ToList(), checkedCount);
    }
}
