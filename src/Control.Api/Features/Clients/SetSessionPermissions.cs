using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record SetSessionPermissionsRequest(string? Reason, long? ExpectedVersion = null, bool? Exec = null, bool? Shell = null, bool? FileTransfer = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand() => new SetSessionPermissions(new SessionPermissions(Exec!.Value, Shell!.Value, FileTransfer!.Value));
}

/// <summary>What sessions on a client may do: run commands, open a shell, transfer files.</summary>
public static class SetSessionPermissionsEndpoint
{
    public sealed class Validator : ClientChangeValidator<SetSessionPermissionsRequest>
    {
        public Validator()
        {
            RuleFor(x => x).Must(x => x.Exec is not null && x.Shell is not null && x.FileTransfer is not null).OverridePropertyName("permissions")
                .WithMessage("Give exec, shell and fileTransfer, each true or false.");
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.SetSessionPermissions)]
    public static IResult Post(SetSessionPermissionsRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
