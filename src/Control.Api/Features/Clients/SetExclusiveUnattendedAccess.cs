using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record SetExclusiveUnattendedAccessRequest(string? Reason, long? ExpectedVersion = null, bool? Exclusive = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new SetExclusiveUnattendedAccess(Exclusive!.Value);
}

/// <summary>Exclusive unattended access: while a session runs, no other is admitted.</summary>
public static class SetExclusiveUnattendedAccessEndpoint
{
    public sealed class Validator : ClientChangeValidator<SetExclusiveUnattendedAccessRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Exclusive).NotNull().WithMessage("Say whether exclusive mode is on (true) or off (false).");
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.SetExclusiveUnattendedAccess)]
    public static IResult Post(SetExclusiveUnattendedAccessRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
