using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record EnrollClientTwoFactorRequest(string? Reason) : IReasonedRequest;

/// <summary>TOTP for unattended access to one client: a new seed shown once to the operator who enrols it.</summary>
public static class EnrollClientTwoFactorEndpoint
{
    public sealed class Validator : AbstractValidator<EnrollClientTwoFactorRequest>
    {
        public Validator() => RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/2fa/enroll")]
    public static IResult Post(
        EnrollClientTwoFactorRequest request, [ClientStream] IEventStream<Client> stream, SecretProtector protector, IOptions<ControlOptions> options,
        TimeProvider clock, HttpContext http)
    {
        var client = stream.Aggregate!;
        var seed = RandomNumberGenerator.GetBytes(TotpRules.SecretBytes);
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = ClientDecider.Decide(new StartClientTwoFactor(protector.Protect(seed, ClientTwoFactorSecrets.Purpose(client.Id))), client, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        stream.AppendMany([.. decision.Events, new SecretRevealed(client.Id, SecretKind.ClientTotpSecret, actor, now)]);
        var uri = TotpRules.ProvisioningUri(seed, client.Alias ?? client.NumberText, options.Value.Issuer);
        return Results.Ok(new ClientTwoFactorEnrollmentResponse(TotpRules.ToBase32(seed), uri, TwoFactor.EnrollTwoFactorEndpoint.QrCodePng(uri)));
    }
}
