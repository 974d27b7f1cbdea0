using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

/// <summary>
/// Organization-wide ACL entries (e.g. <c>*@acme</c>): every client's policy admits them in addition to its own, so one
/// change reaches every agent. <c>POST /organization/acl/add|remove</c> with entry, allowEveryone, reason (and expectedVersion).
/// </summary>
public static class OrganizationAclEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/acl/{action}")]
    public static async Task<IResult> Post(
        string action, ClientChangeRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (action is not ("add" or "remove"))
        {
            errors["action"] = ["Actions: add, remove."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            errors["reason"] = ["A reason is required for every security change."];
        }

        if (string.IsNullOrWhiteSpace(request.Entry))
        {
            errors["entry"] = ["An entry is required."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var stream = request.ExpectedVersion is { } expected
            ? await session.Events.FetchForWriting<Organization>(organization.Id, expected, cancellation)
            : await session.Events.FetchForWriting<Organization>(organization.Id, cancellation);
        var actor = http.User.Actor();
        var decision = action == "add"
            ? OrganizationDecider.Decide(new AddOrganizationAclEntry(request.Entry!, request.AllowEveryone ?? false), stream.Aggregate!, actor, clock.GetUtcNow())
            : OrganizationDecider.Decide(new RemoveOrganizationAclEntry(request.Entry!), stream.Aggregate!, actor, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => Organization.Evolve(current, e)!);
        return Results.Ok(new OrganizationAclView(state.AclEntries, (stream.StartingVersion ?? 0) + decision.Events.Count, decision.Events.Count > 0));
    }
}

/// <summary><c>GET /organization/acl</c>: the organization-wide entries, for whoever may read a client's own ACL.</summary>
public static class GetOrganizationAclEndpoint
{
    [Authorize(Policy = Policies.ReadClients)]
    [WolverineGet("/organization/acl")]
    public static async Task<OrganizationAclView> Get(IQuerySession session, CancellationToken cancellation)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        return new OrganizationAclView(organization.AclEntries, organization.Version);
    }
}
