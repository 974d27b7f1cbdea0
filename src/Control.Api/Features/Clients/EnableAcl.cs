using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record EnableAclRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new EnableAcl();
}

/// <summary>Switches a client's ACL on: only its own entries and the organization-wide ones may connect.</summary>
public static class EnableAclEndpoint
{
    public sealed class Validator : ClientChangeValidator<EnableAclRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.EnableAcl)]
    public static IResult Post(EnableAclRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
