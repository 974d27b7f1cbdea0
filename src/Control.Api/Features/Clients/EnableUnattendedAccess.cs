using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record EnableUnattendedAccessRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new EnableUnattendedAccess();
}

/// <summary>Lets sessions in with the unattended password, without someone at the machine accepting them.</summary>
public static class EnableUnattendedAccessEndpoint
{
    public sealed class Validator : ClientChangeValidator<EnableUnattendedAccessRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.EnableUnattendedAccess)]
    public static IResult Post(EnableUnattendedAccessRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
