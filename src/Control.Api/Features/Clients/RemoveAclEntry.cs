using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record RemoveAclEntryRequest(string? Reason, long? ExpectedVersion = null, string? Entry = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new RemoveAclEntry(Entry!);
}

/// <summary>Removes an entry from a client's ACL.</summary>
public static class RemoveAclEntryEndpoint
{
    public sealed class Validator : ClientChangeValidator<RemoveAclEntryRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Entry).AclEntry();
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.RemoveAclEntry)]
    public static IResult Post(RemoveAclEntryRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
