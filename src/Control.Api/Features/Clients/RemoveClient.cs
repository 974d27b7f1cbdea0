using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record RemoveClientRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new RemoveClient();
}

/// <summary>Removes a client: its agent credential stops working and it accepts no sessions; this cannot be undone.</summary>
public static class RemoveClientEndpoint
{
    public sealed class Validator : ClientChangeValidator<RemoveClientRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.Remove)]
    public static IResult Post(RemoveClientRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
