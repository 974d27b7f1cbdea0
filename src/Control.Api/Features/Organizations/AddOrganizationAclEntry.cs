using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

/// <param name="AllowEveryone">The explicit confirmation needed to add <c>*</c> (anyone at all, on every client).</param>
public sealed record AddOrganizationAclEntryRequest(string? Reason, long? ExpectedVersion = null, string? Entry = null, bool? AllowEveryone = null)
    : IOrganizationAclRequest;

/// <summary>
/// Adds an organization-wide ACL entry (e.g. <c>*-support@acme</c>): every client whose ACL is on admits it besides its own,
/// so one change reaches every agent.
/// </summary>
public static class AddOrganizationAclEntryEndpoint
{
    public sealed class Validator : OrganizationAcl.EntryValidator<AddOrganizationAclEntryRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/organization/acl/add")]
    public static IResult Post(AddOrganizationAclEntryRequest request, [OrganizationStream] IEventStream<Organization> stream, HttpContext http, TimeProvider clock) =>
        OrganizationAcl.Apply(stream, OrganizationDecider.Decide(
            new AddOrganizationAclEntry(request.Entry!, request.AllowEveryone ?? false), stream.Aggregate!, http.User.Actor(), clock.GetUtcNow()));
}
