using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record AddAclEntryRequest(string? Reason, long? ExpectedVersion = null, string? Entry = null, bool? AllowEveryone = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new AddAclEntry(Entry!, AllowEveryone ?? false);
}

/// <summary>Adds an entry (an alias, a client number or a wildcard) to a client's ACL; <c>*</c> needs allowEveryone.</summary>
public static class AddAclEntryEndpoint
{
    public sealed class Validator : ClientChangeValidator<AddAclEntryRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Entry).AclEntry();
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.AddAclEntry)]
    public static IResult Post(AddAclEntryRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
