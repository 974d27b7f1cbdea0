using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// One secret an offboarding generated and sealed: what it is, never its value. <c>Replaced</c> once someone rotated it
/// since (it can no longer be revealed); <c>Secret</c> and <c>SubjectId</c> name the reveal endpoint
/// (<c>/clients/{SubjectId}/unattended/reveal</c> or <c>/license/reveal</c>).
/// </summary>
public sealed record SealedSecretSummary(string Id, string Secret, Guid SubjectId, string Label, DateTimeOffset SealedAt, bool Replaced);

public static class GetSealedSecretsEndpoint
{
    /// <summary>The secrets an offboarding sealed. Whoever may see the offboarding may see this list; revealing one has its own, stricter rule.</summary>
    [Authorize(Policy = Policies.Offboard)]
    [WolverineGet("/offboardings/{id}/sealed-secrets")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Offboarding>(id, cancellation) is null)
        {
            return Problems.NotFound("offboarding").ToResult();
        }

        var sealedSecrets = await session.Query<SealedSecret>().Where(s => s.OffboardingId == id).ToListAsync(cancellation);
        var knowledge = (await session.LoadManyAsync<SecretKnowledge>(cancellation, sealedSecrets.Select(s => s.Id).ToArray())).ToDictionary(k => k.Id);
        var summaries = new List<SealedSecretSummary>();
        foreach (var sealedSecret in sealedSecrets)
        {
            var (kind, subject) = Parse(sealedSecret.Id);
            var label = kind switch
            {
                SecretKind.LicenseKey => "new license key",
                SecretKind.UnattendedPassword => $"new unattended password of {await ClientName(session, subject, cancellation)}",
                _ => $"new {SecretKnowledge.Name(kind)}",
            };
            summaries.Add(new SealedSecretSummary(sealedSecret.Id, SecretKnowledge.Name(kind), subject, label, sealedSecret.SealedAt,
                sealedSecret.ReplacedSince(knowledge.GetValueOrDefault(sealedSecret.Id))));
        }

        return Results.Ok(summaries.OrderBy(s => s.Secret, StringComparer.Ordinal).ThenBy(s => s.Label, StringComparer.Ordinal).ToList());
    }

    /// <summary>The inverse of <see cref="SecretKnowledge.KeyOf(SecretKind, Guid)"/> for the kinds an offboarding seals.</summary>
    private static (SecretKind Kind, Guid Subject) Parse(string key)
    {
        var separator = key.LastIndexOf(':');
        var name = key[..separator];
        var kind = Enum.GetValues<SecretKind>().First(k => SecretKnowledge.Name(k) == name);
        return (kind, Guid.ParseExact(key[(separator + 1)..], "N"));
    }

    private static async Task<string> ClientName(IQuerySession session, Guid clientId, CancellationToken cancellation) =>
        await session.LoadAsync<Client>(clientId, cancellation) is { } client ? client.Alias ?? client.NumberText : clientId.ToString();
}
