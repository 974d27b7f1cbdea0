using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

/// <summary>The body of a change to the organization-wide ACL: one entry.</summary>
public interface IOrganizationAclRequest : IReasonedRequest, IVersionedRequest
{
    string? Entry { get; }
}

public static class OrganizationAcl
{
    public abstract class EntryValidator<T> : AbstractValidator<T>
        where T : IOrganizationAclRequest
    {
        protected EntryValidator()
        {
            RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
            RuleFor(x => x.Entry).NotEmpty().WithMessage("An entry is required.");
        }
    }

    /// <summary>The answer of an organization-wide ACL change: the entries and the organization's version after it.</summary>
    public static IResult Apply(IEventStream<Organization> stream, Decision decision)
    {
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (state, version) = stream.Append(decision, Organization.Evolve);
        return Results.Ok(new OrganizationAclView(state.AclEntries, version, decision.Events.Count > 0));
    }
}

/// <summary>Routing prefers <c>/organization/acl/add</c> and <c>/remove</c>: any other action is a 400 that lists them.</summary>
public static class UnknownOrganizationAclActionEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/acl/{action}")]
    public static IResult Post(string action) => Problems.Field("action", "Actions: add, remove.").ToResult();
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
