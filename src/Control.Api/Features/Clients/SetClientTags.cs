using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record SetClientTagsRequest(string? Reason, long? ExpectedVersion = null, IReadOnlyList<string>? Tags = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new SetClientTags(Tags!);
}

/// <summary>Replaces a client's tags (which select clients for bulk changes and lists).</summary>
public static class SetClientTagsEndpoint
{
    public sealed class Validator : ClientChangeValidator<SetClientTagsRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Tags).ClientTags();
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.SetTags)]
    public static IResult Post(SetClientTagsRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
