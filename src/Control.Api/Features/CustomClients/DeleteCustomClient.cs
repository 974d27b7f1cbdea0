using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

public sealed record DeleteCustomClientRequest(string? Reason) : ICustomClientChangeRequest;

/// <summary>Deletes a custom client: its link and tickets enrol nothing more (clients enrolled with it stay).</summary>
public static class DeleteCustomClientEndpoint
{
    public sealed class Validator : CustomClientChangeValidator<DeleteCustomClientRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/delete")]
    public static IResult Post(DeleteCustomClientRequest request, [CustomClientStream] IEventStream<CustomClient> stream, HttpContext http, TimeProvider clock) =>
        CustomClientChange.Decide(stream, new DeleteCustomClient(), http.User.Actor(), clock.GetUtcNow()).Result;
}
