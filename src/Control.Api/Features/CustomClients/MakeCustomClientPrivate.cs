using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

public sealed record MakeCustomClientPrivateRequest(string? Reason) : ICustomClientChangeRequest;

/// <summary>Makes a custom client's registration link private: it enrols only with a one-time ticket.</summary>
public static class MakeCustomClientPrivateEndpoint
{
    public sealed class Validator : CustomClientChangeValidator<MakeCustomClientPrivateRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/make-private")]
    public static IResult Post(MakeCustomClientPrivateRequest request, [CustomClientStream] IEventStream<CustomClient> stream, HttpContext http, TimeProvider clock) =>
        CustomClientChange.Decide(stream, new SetCustomClientVisibility(false), http.User.Actor(), clock.GetUtcNow()).Result;
}
