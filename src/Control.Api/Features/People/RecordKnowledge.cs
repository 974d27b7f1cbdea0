using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.People;

/// <summary>An admin records that a person knows a secret Control did not show them (typically a shared account's password).</summary>
public static class RecordKnowledgeEndpoint
{
    public sealed class Validator : AbstractValidator<RecordKnowledgeRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Secret).Must(s => Secret(s) is not null)
                .WithMessage("Secrets: operator-password, license-key, unattended-password, custom-client-link, client-totp-secret.");
            RuleFor(x => x.Subject).NotEmpty().When(x => Secret(x.Secret) is { } secret && secret != SecretKind.LicenseKey)
                .WithMessage("Name whose secret it is: an operator's username, a client, or a custom client.");
            RuleFor(x => x.Reason).PersonChangeReason();
        }
    }

    [Authorize(Policy = Policies.RecordKnowledge)]
    [WolverinePost("/people/{key}/knowledge")]
    public static async Task<IResult> Post(
        RecordKnowledgeRequest request, [PersonStream] IEventStream<Person> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var secret = Secret(request.Secret)!.Value;
        var subject = request.Subject?.Trim().ToLowerInvariant() ?? "";
        (Guid Id, string Label)? found = secret switch
        {
            SecretKind.LicenseKey => await session.Query<Organization>().SingleAsync(cancellation) is var o ? (o.Id, "the license key") : null,
            SecretKind.OperatorPassword => await session.Query<Operator>().FirstOrDefaultAsync(x => x.Username == subject, cancellation) is { } op
                ? (op.Id, $"the password of {op.QualifiedName}") : null,
            SecretKind.CustomClientLink => await session.Query<CustomClient>().FirstOrDefaultAsync(c => c.Name == subject && !c.Deleted, cancellation) is { } cc
                ? (cc.Id, $"the registration link of {cc.Name}") : null,
            _ => await ClientLookup.Find(session, subject, cancellation) is { } client
                ? (client.Id, $"the {SecretKnowledge.Name(secret).Replace('-', ' ')} of {client.Alias ?? client.NumberText}") : null,
        };
        if (found is not { } target)
        {
            return Problems.NotFound(secret == SecretKind.OperatorPassword ? "operator" : secret == SecretKind.CustomClientLink ? "custom client" : "client").ToResult();
        }

        return PersonStream.Decide(stream, new RecordKnowledge(target.Id, secret, target.Label), http.User.Actor(), clock.GetUtcNow());
    }

    // A remember-token is the viewer's own secret, never one a person "knows" in the HR sense.
    private static SecretKind? Secret(string? name) =>
        SecretKnowledge.TryParseName(name, out var secret) && secret != SecretKind.RememberToken ? secret : null;
}
