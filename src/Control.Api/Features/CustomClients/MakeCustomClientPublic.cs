using Control.Api.Auth;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

public sealed record MakeCustomClientPublicRequest(string? Reason) : ICustomClientChangeRequest;

/// <summary>Makes a custom client's registration link public: anyone with the link enrols a machine.</summary>
public static class MakeCustomClientPublicEndpoint
{
    public sealed class Validator : CustomClientChangeValidator<MakeCustomClientPublicRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/make-public")]
    public static IResult Post(MakeCustomClientPublicRequest request, [CustomClientStream] IEventStream<CustomClient> stream, HttpContext http, TimeProvider clock) =>
        CustomClientChange.Decide(stream, new SetCustomClientVisibility(true), http.User.Actor(), clock.GetUtcNow()).Result;
}
