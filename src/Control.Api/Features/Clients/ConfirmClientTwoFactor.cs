using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using FluentValidation;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

public sealed record ConfirmClientTwoFactorRequest(string? Reason, string? Code = null) : IReasonedRequest;

/// <summary>Turns a client's two-factor on, proven with a code from the seed its enrolment showed.</summary>
public static class ConfirmClientTwoFactorEndpoint
{
    public sealed class Validator : AbstractValidator<ConfirmClientTwoFactorRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Code).NotEmpty().WithMessage("The 6-digit code from the authenticator app is required.");
            RuleFor(x => x.Reason).Reason(ValidationRules.ReasonRequired);
        }
    }

    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/2fa/confirm")]
    public static IResult Post(
        ConfirmClientTwoFactorRequest request, [ClientStream] IEventStream<Client> stream, SecretProtector protector, TimeProvider clock, HttpContext http)
    {
        var client = stream.Aggregate!;
        var pending = client.TwoFactor.PendingProtectedSecret is { } p ? protector.Unprotect(p, ClientTwoFactorSecrets.Purpose(client.Id)) : [];
        var decision = ClientDecider.Decide(new ConfirmClientTwoFactor(pending, request.Code!), client, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        var (_, version) = stream.Append(decision, Client.Evolve);
        return Results.Ok(new ClientChangeResponse(client.Id, client.NumberText, version, decision.Events.Count > 0));
    }
}
