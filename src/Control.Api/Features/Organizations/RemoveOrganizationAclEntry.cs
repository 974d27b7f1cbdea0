using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

public sealed record RemoveOrganizationAclEntryRequest(string? Reason, long? ExpectedVersion = null, string? Entry = null) : IOrganizationAclRequest;

/// <summary>Removes an organization-wide ACL entry; each client's own entries are untouched.</summary>
public static class RemoveOrganizationAclEntryEndpoint
{
    public sealed class Validator : OrganizationAcl.EntryValidator<RemoveOrganizationAclEntryRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/acl/remove")]
    public static IResult Post(RemoveOrganizationAclEntryRequest request, [OrganizationStream] IEventStream<Organization> stream, HttpContext http, TimeProvider clock) =>
        OrganizationAcl.Apply(stream, OrganizationDecider.Decide(new RemoveOrganizationAclEntry(request.Entry!), stream.Aggregate!, http.User.Actor(), clock.GetUtcNow()));
}
