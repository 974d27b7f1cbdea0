using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record DisableClientTwoFactorRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new DisableClientTwoFactor();
}

/// <summary>Switches a client's two-factor for sessions off.</summary>
public static class DisableClientTwoFactorEndpoint
{
    public sealed class Validator : ClientChangeValidator<DisableClientTwoFactorRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.DisableTwoFactor)]
    public static IResult Post(DisableClientTwoFactorRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
