using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record RemoveClientLicenseRequest(string? Reason, long? ExpectedVersion = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new RemoveClientLicense();
}

/// <summary>Takes the license off a client: it stays enrolled as a free client and its namespaced alias is released.</summary>
public static class RemoveClientLicenseEndpoint
{
    public sealed class Validator : ClientChangeValidator<RemoveClientLicenseRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.RemoveLicense)]
    public static IResult Post(RemoveClientLicenseRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
