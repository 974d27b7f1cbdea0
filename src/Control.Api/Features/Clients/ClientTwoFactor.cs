using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Clients;

/// <summary>TOTP for unattended access to one client: a new seed shown once to the operator who enrols it.</summary>
public static class EnrollClientTwoFactorEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/2fa/enroll")]
    public static async Task<IResult> Post(
        string client, ReasonRequest request, IDocumentSession session, SecretProtector protector, IOptions<ControlOptions> options, TimeProvider clock,
        HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required for every security change."] });
        }

        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var stream = await session.Events.FetchForWriting<Client>(target.Id, cancellation);
        var seed = RandomNumberGenerator.GetBytes(TotpRules.SecretBytes);
        var actor = http.User.Actor();
        var now = clock.GetUtcNow();
        var decision = ClientDecider.Decide(new StartClientTwoFactor(protector.Protect(seed, ClientTwoFactorSecrets.Purpose(target.Id))), stream.Aggregate!, actor, now);
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany([.. decision.Events, new SecretRevealed(target.Id, SecretKind.ClientTotpSecret, actor, now)]);
        var account = target.Alias ?? target.NumberText;
        var uri = TotpRules.ProvisioningUri(seed, account, options.Value.Issuer);
        return Results.Ok(new ClientTwoFactorEnrollmentResponse(TotpRules.ToBase32(seed), uri, TwoFactor.EnrollTwoFactorEndpoint.QrCodePng(uri)));
    }
}

public static class ConfirmClientTwoFactorEndpoint
{
    [Authorize(Policy = Policies.ManageClients)]
    [WolverinePost("/clients/{client}/2fa/confirm")]
    public static async Task<IResult> Post(
        string client, ClientChangeRequest request, IDocumentSession session, SecretProtector protector, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            errors["code"] = ["The 6-digit code from the authenticator app is required."];
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            errors["reason"] = ["A reason is required for every security change."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The request is not valid.");
        }

        var target = await ClientLookup.Find(session, client, cancellation);
        if (target is null)
        {
            return Problems.NotFound("client").ToResult();
        }

        var stream = await session.Events.FetchForWriting<Client>(target.Id, cancellation);
        var pending = target.TwoFactor.PendingProtectedSecret is { } p ? protector.Unprotect(p, ClientTwoFactorSecrets.Purpose(target.Id)) : [];
        var decision = ClientDecider.Decide(new ConfirmClientTwoFactor(pending, request.Code!), stream.Aggregate!, http.User.Actor(), clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        return Results.Ok(new ClientChangeResponse(target.Id, target.NumberText, (stream.StartingVersion ?? 0) + decision.Events.Count, decision.Events.Count > 0));
    }
}
