using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>
/// Every change has its own route (<c>/clients/{client}/acl-add</c>, ...), which routing prefers to this one: what reaches
/// here names no change, and the caller learns which there are (a 400 with the list, not a bare 404).
/// </summary>
public static class UnknownClientActionEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/{action}")]
    public static IResult Post(string client, string action) => Problem(action).ToResult();

    public static ProblemDetails Problem(string action) =>
        Problems.Field("action", $"Unknown action '{action}'. Actions: {string.Join(", ", ClientActions.All)}.");
}
