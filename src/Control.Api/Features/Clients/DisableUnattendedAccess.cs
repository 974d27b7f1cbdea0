using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record DisableUnattendedAccessRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new DisableUnattendedAccess();
}

/// <summary>Ends unattended access: sessions need someone at the machine again.</summary>
public static class DisableUnattendedAccessEndpoint
{
    public sealed class Validator : ClientChangeValidator<DisableUnattendedAccessRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.DisableUnattendedAccess)]
    public static IResult Post(DisableUnattendedAccessRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
