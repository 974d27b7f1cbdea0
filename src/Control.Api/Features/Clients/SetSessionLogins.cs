using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record SetSessionLoginsRequest(string? Reason, long? ExpectedVersion = null, IReadOnlyList<string>? Logins = null, bool? AllowRoot = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new SetSessionLogins(Logins!, AllowRoot ?? false);
}

/// <summary>The local accounts sessions on a client may run as (the first is the default); root must be confirmed.</summary>
public static class SetSessionLoginsEndpoint
{
    public sealed class Validator : ClientChangeValidator<SetSessionLoginsRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Logins).Must(l => l is { Count: > 0 } && l.All(login => SessionLogins.IsValid(login?.Trim()))).WithMessage(SessionLogins.ListRule);
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.SetSessionLogins)]
    public static IResult Post(SetSessionLoginsRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
