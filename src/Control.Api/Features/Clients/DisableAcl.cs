using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record DisableAclRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new DisableAcl();
}

/// <summary>Switches a client's ACL off: anyone the other checks admit may connect.</summary>
public static class DisableAclEndpoint
{
    public sealed class Validator : ClientChangeValidator<DisableAclRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.DisableAcl)]
    public static IResult Post(DisableAclRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
