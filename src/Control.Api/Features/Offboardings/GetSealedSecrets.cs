using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.People;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// One secret an offboarding generated and sealed: what it is, never its value. <c>Replaced</c> once someone rotated it
/// since (it can no longer be revealed); <c>Secret</c> and <c>SubjectId</c> name the reveal endpoint
/// (<c>/clients/{SubjectId}/unattended/reveal</c> or <c>/license/reveal</c>). <c>Reveals</c>: who saw this sealed value
/// and when, oldest first (empty while nobody has).
/// </summary>
public sealed record SealedSecretSummary(
    string Id, string Secret, Guid SubjectId, string Label, DateTimeOffset SealedAt, bool Replaced, IReadOnlyList<SealedSecretReveal> Reveals);

/// <summary>One <c>SecretRevealed</c> of a sealed value: to whom, when, and the reason they gave.</summary>
public sealed record SealedSecretReveal(string By, DateTimeOffset At, string? Reason);

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
        var parsed = sealedSecrets.Select(s => (Sealed: s, Key: Parse(s.Id))).ToList();
        // One read for every client named (an offboarding may seal a thousand passwords), not one each.
        var clients = (await session.LoadManyAsync<Client>(cancellation,
            parsed.Where(p => p.Key.Kind == SecretKind.UnattendedPassword).Select(p => p.Key.Subject).Distinct().ToArray())).ToDictionary(c => c.Id);
        var reveals = await Reveals(session, parsed.Select(p => p.Key.Subject).Distinct().ToArray(), cancellation);
        var summaries = parsed.Select(p => new SealedSecretSummary(
            p.Sealed.Id, SecretKnowledge.Name(p.Key.Kind), p.Key.Subject,
            p.Key.Kind switch
            {
                SecretKind.LicenseKey => "new license key",
                SecretKind.UnattendedPassword => $"new unattended password of {(clients.TryGetValue(p.Key.Subject, out var client) ? AccessReview.Label(client) : p.Key.Subject.ToString())}",
                _ => $"new {SecretKnowledge.Name(p.Key.Kind)}",
            },
            p.Sealed.SealedAt, p.Sealed.ReplacedSince(knowledge.GetValueOrDefault(p.Sealed.Id)),
            RevealsOf(p.Sealed, p.Key.Kind, p.Key.Subject, knowledge.GetValueOrDefault(p.Sealed.Id), reveals)));

        return Results.Ok(summaries.OrderBy(s => s.Secret, StringComparer.Ordinal).ThenBy(s => s.Label, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Every <c>SecretRevealed</c> on the subjects' streams, from the event store itself: the audit trail is the record of
    /// who saw a secret, so this list can never disagree with it. One query for all the sealed secrets of the offboarding.
    /// </summary>
    private static async Task<IReadOnlyList<IEvent<SecretRevealed>>> Reveals(IQuerySession session, Guid[] subjects, CancellationToken cancellation) =>
        subjects.Length == 0
            ? []
            : (await session.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(typeof(SecretRevealed)) && e.StreamId.IsOneOf(subjects))
                .OrderBy(e => e.Sequence)
                .ToListAsync(cancellation)).OfType<IEvent<SecretRevealed>>().ToList();

    /// <summary>
    /// The reveals of this sealed value: of its kind and subject, from its sealing until it was replaced. A reveal before
    /// (an earlier value) or at and after a rotation (the new value, e.g. a rotate-password dialog) is of another value.
    /// </summary>
    private static List<SealedSecretReveal> RevealsOf(
        SealedSecret sealedSecret, SecretKind kind, Guid subject, SecretKnowledge? knowledge, IEnumerable<IEvent<SecretRevealed>> reveals)
    {
        var replacedAt = sealedSecret.ReplacedSince(knowledge) ? knowledge!.RotatedAt : null;
        return reveals
            .Where(e => e.Data.Secret == kind && e.Data.SubjectId == subject && e.Data.At >= sealedSecret.SealedAt && (replacedAt is null || e.Data.At < replacedAt))
            .Select(e => new SealedSecretReveal(e.Data.To.Name, e.Data.At, Reason(e)))
            .ToList();
    }

    private static string? Reason(IEvent e) =>
        e.Headers is { } headers && headers.TryGetValue(AuditMetadata.ReasonHeader, out var reason) ? reason?.ToString() : null;

    /// <summary>The inverse of <see cref="SecretKnowledge.KeyOf(SecretKind, Guid)"/> for the kinds an offboarding seals.</summary>
    private static (SecretKind Kind, Guid Subject) Parse(string key)
    {
        var separator = key.LastIndexOf(':');
        return SecretKnowledge.TryParseName(key[..separator], out var kind)
            ? (kind, Guid.ParseExact(key[(separator + 1)..], "N"))
            : throw new InvalidOperationException($"A sealed secret has an unknown key '{key}'.");
    }
}
