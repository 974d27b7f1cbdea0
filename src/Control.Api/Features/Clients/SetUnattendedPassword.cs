using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Security;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <param name="Password">None: the server generates one and shows it once, to the caller.</param>
public sealed record SetUnattendedPasswordRequest(string? Reason, long? ExpectedVersion = null, string? Password = null) : IClientChangeRequest
{
    public ClientChangeCommand ToCommand()
    {
        var generated = Password is null ? Secrets.NewCode(5) : null;
        var verifier = Scram.CreateVerifier(Password ?? generated!, RandomNumberGenerator.GetBytes(16));
        return new(new SetUnattendedPassword(verifier, Generated: generated is not null), generated);
    }
}

/// <summary>Sets a client's unattended password (the server keeps only a SCRAM verifier).</summary>
public static class SetUnattendedPasswordEndpoint
{
    public sealed class Validator : ClientChangeValidator<SetUnattendedPasswordRequest>
    {
        public Validator(Passwords passwords) => RuleFor(x => x.Password).StrongPassword(passwords, _ => []);
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/" + ClientActions.SetUnattendedPassword)]
    public static IResult Post(SetUnattendedPasswordRequest request, [ClientStream] IEventStream<Client> stream, HttpContext http, TimeProvider clock) =>
        ClientChange.Decide(stream, request.ToCommand(), http.User.Actor(), clock.GetUtcNow());
}
