using Control.Api.Auth;
using Control.Api.Features.Organizations;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.CustomClients;

public sealed record RotateCustomClientLinkRequest(string? Reason) : ICustomClientChangeRequest;

/// <summary>A new registration link for a custom client, shown once; the old one is dead at once.</summary>
public static class RotateCustomClientLinkEndpoint
{
    public sealed class Validator : CustomClientChangeValidator<RotateCustomClientLinkRequest>;

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/custom-clients/{name}/rotate")]
    public static IResult Post(
        RotateCustomClientLinkRequest request, [CustomClientStream] IEventStream<CustomClient> stream, IDocumentSession session, HttpContext http, TimeProvider clock)
    {
        var token = RegistrationTokens.New(RegistrationTokenKind.CustomClientLink, session.TenantId);
        return CustomClientChange.Decide(stream, new RotateCustomClientToken(Secrets.HashToken(token)), http.User.Actor(), clock.GetUtcNow(), token).Result;
    }
}
