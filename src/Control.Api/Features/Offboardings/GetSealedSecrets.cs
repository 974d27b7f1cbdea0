using Control.Api.Auth;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Organizations;
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
        var parsed = sealedSecrets.Select(s => (Sealed: s, Key: SecretKnowledge.ParseKey(s.Id))).ToList();
        // One read for every client named (an offboarding may seal a thousand passwords), not one each.
        var clients = (await session.LoadManyAsync<Client>(cancellation,
            parsed.Where(p => p.Key.Secret == SecretKind.UnattendedPassword).Select(p => p.Key.Subject).Distinct().ToArray())).ToDictionary(c => c.Id);
        var history = await RevealsAndRotations(session, parsed.Select(p => p.Key.Subject).Distinct().ToArray(), cancellation);
        var summaries = parsed.Select(p => new SealedSecretSummary(
            p.Sealed.Id, SecretKnowledge.Name(p.Key.Secret), p.Key.Subject,
            p.Key.Secret switch
            {
                SecretKind.LicenseKey => "new license key",
                SecretKind.UnattendedPassword => $"new unattended password of {(clients.TryGetValue(p.Key.Subject, out var client) ? AccessReview.Label(client) : p.Key.Subject.ToString())}",
                _ => $"new {SecretKnowledge.Name(p.Key.Secret)}",
            },
            p.Sealed.SealedAt, p.Sealed.ReplacedSince(knowledge.GetValueOrDefault(p.Sealed.Id)),
            RevealsOf(p.Sealed, history[p.Key.Subject])));

        return Results.Ok(summaries.OrderBy(s => s.Secret, StringComparer.Ordinal).ThenBy(s => s.Label, StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The reveals and rotations of the sealed kinds on the subjects' streams, oldest first, from the event store itself:
    /// the audit trail is the record of who saw a secret, so the list cannot disagree with it. One query for all the
    /// sealed secrets of the offboarding.
    /// </summary>
    private static async Task<ILookup<Guid, IEvent>> RevealsAndRotations(IQuerySession session, Guid[] subjects, CancellationToken cancellation) =>
        subjects.Length == 0
            ? Array.Empty<IEvent>().ToLookup(e => e.StreamId)
            : (await session.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(typeof(SecretRevealed), typeof(UnattendedPasswordSet), typeof(LicenseKeyReset)) && e.StreamId.IsOneOf(subjects))
                .OrderBy(e => e.Sequence)
                .ToListAsync(cancellation)).ToLookup(e => e.StreamId);

    /// <summary>
    /// The reveals of this sealed value: from its sealing until the first rotation after it (the rule of
    /// <see cref="SealedSecret.ReplacedSince"/>, folded with the exposure projection's own <see cref="SecretKnowledge.Evolve"/>).
    /// A reveal before it (of an earlier value) or after that rotation (of a later one, e.g. a reset's own) is not of this value.
    /// </summary>
    private static List<SealedSecretReveal> RevealsOf(SealedSecret sealedSecret, IEnumerable<IEvent> stream)
    {
        var reveals = new List<SealedSecretReveal>();
        SecretKnowledge? state = null;
        foreach (var e in stream.Where(e => SecretKnowledge.KeyOf(e.Data) == sealedSecret.Id))
        {
            state = SecretKnowledge.Evolve(state, sealedSecret.Id, e.Data);
            if (sealedSecret.ReplacedSince(state))
            {
                break;
            }

            if (e.Data is SecretRevealed revealed && revealed.At >= sealedSecret.SealedAt)
            {
                reveals.Add(new SealedSecretReveal(revealed.To.Name, revealed.At, Reason(e)));
            }
        }

        return reveals;
    }

    private static string? Reason(IEvent e) =>
        e.Headers is { } headers && headers.TryGetValue(AuditMetadata.ReasonHeader, out var reason) ? reason?.ToString() : null;
}
