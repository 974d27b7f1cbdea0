using Control.Api.Features.Access;
using Control.Api.Hosting;
using Control.Domain.Clients;
using Control.Domain.Offboarding;
using Control.Domain.People;
using Marten;
using Marten.Linq.MatchesSql;
using Microsoft.Extensions.Options;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// What one saga message does of the ACL step: a single batch of at most <c>batchSize</c> clients (the step goes on in the
/// next message), or the step's last batch, which completes it. <paramref name="LastClients"/>: the clients the last batch
/// changes; <paramref name="SideBySide"/>: the other batches of the last round, committing beside it.
/// </summary>
public sealed record AclBatchPlan(IReadOnlyList<Guid>? Batch, HashSet<Guid> LastClients, Task SideBySide);

/// <summary>
/// The machinery behind <see cref="Step7RemoveFromAccessControlLists"/>: only the clients whose ACL still names the person,
/// with <c>parallel</c> above 1 a round of that many batches at a time, each batch in a transaction of its own (a saga message
/// per round cost more than the round's own queries), round after round for up to <see cref="RoundsPerMessage"/>. A kill
/// resumes from what still names them; a long step goes on in the next message.
/// </summary>
public sealed class AclBatches(TimeProvider clock, IOptions<ControlOptions> options)
{
    /// <summary>How long the ACL step goes on round after round in one saga message before it continues in the next.</summary>
    public static readonly TimeSpan RoundsPerMessage = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs the rounds before the last and plans what this message's transaction does; null when the rounds took this
    /// message's time. <paramref name="decide"/> is the step's decision for a batch of clients at a time.
    /// </summary>
    public async Task<AclBatchPlan?> Plan(
        OffboardingStepContext step, Person person, int batchSize, int parallel, Func<IReadOnlyList<Client>, DateTimeOffset, IReadOnlyList<OffboardingStreamChange>> decide)
    {
        var (session, cancellation) = (step.Session, step.Cancellation);
        var identities = person.AclIdentities();
        var holding = await ClientsHolding(session, identities, batchSize * parallel + 1, cancellation);
        var sideBySide = Task.CompletedTask;
        if (holding.Count > batchSize && parallel > 1)
        {
            Task Alone(IEnumerable<Guid[]> batches) =>
                Task.WhenAll(batches.Select(chunk => RemoveAlone(session.DocumentStore, session.TenantId, step.Offboarding, chunk, step.Now, decide, cancellation)));

            var rounds = clock.GetTimestamp();
            while (holding.Count > batchSize * parallel)
            {
                await Alone(holding.Take(batchSize * parallel).Chunk(batchSize));
                if (clock.GetElapsedTime(rounds) > RoundsPerMessage)
                {
                    return null;
                }

                if (options.Value.OffboardingStepDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.Value.OffboardingStepDelay, clock, cancellation);
                }

                // Each round's changes carry the time they were decided (receipt times are measured from it).
                step.Now = clock.GetUtcNow();
                holding = await ClientsHolding(session, identities, batchSize * parallel + 1, cancellation);
            }

            if (holding.Count > batchSize)
            {
                // The last round: its other batches commit beside this transaction, which takes the last batch with the
                // step's end (a round less: the queries that find the clients) and waits for them before it commits.
                var chunks = holding.Chunk(batchSize).ToList();
                sideBySide = Alone(chunks.SkipLast(1));
                holding = [.. chunks[^1]];
            }
        }
        else if (holding.Count > batchSize)
        {
            return new AclBatchPlan([.. holding.Take(batchSize)], [], sideBySide);
        }

        return new AclBatchPlan(null, [.. holding], sideBySide);
    }

    /// <summary>
    /// The batches that committed beside the step go into the offboarding's stream once, by its last batch (the offboarding's
    /// document holds every change; rewriting it after each round cost more than the round), which deletes their records
    /// in its transaction. A batch that failed fails that transaction too, and the saga's retry finds what is left.
    /// </summary>
    public static async Task Fold(IDocumentSession session, Offboarding offboarding, CancellationToken cancellation)
    {
        const int step = (int)OffboardingStep.RemoveFromAccessControlLists;
        foreach (var batch in (await OffboardingViews.Batches(session, offboarding.Id, cancellation)).Where(b => b.Step == step))
        {
            session.Events.Append(offboarding.Id, new OffboardingStepProgressed(offboarding.Id, step, batch.Changes, batch.At));
            session.Delete(batch);
        }
    }

    /// <summary>Active clients with a wildcard (or everyone) entry of their own: the only ones the wildcard report needs.</summary>
    public static async Task<IReadOnlyList<Guid>> ClientsWithWildcards(IQuerySession session, CancellationToken cancellation) =>
        await session.Query<Client>()
            .Where(c => c.Status == ClientStatus.Active
                && c.MatchesSql("exists (select 1 from jsonb_array_elements_text(d.data -> 'aclEntries') as entry where strpos(entry, '*') > 0)"))
            .Select(c => c.Id).ToListAsync(cancellation);

    /// <summary>
    /// One batch in a transaction of its own (beside the saga's and the other batches'): its clients' changes and, with them,
    /// a record of what it changed, which the step's last batch folds into the offboarding's stream. A concurrent change of
    /// one of its clients fails this transaction only; the saga's retry finds what is still to do.
    /// </summary>
    private static async Task RemoveAlone(
        IDocumentStore store, string tenant, Offboarding offboarding, Guid[] clientIds, DateTimeOffset now,
        Func<IReadOnlyList<Client>, DateTimeOffset, IReadOnlyList<OffboardingStreamChange>> decide, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(tenant);
        OffboardingRecording.RecordAs(session, offboarding);
        session.UseIdentityMapFor<Client>();
        var state = await AccessState.LoadClients(session, clientIds, cancellation);
        var changes = new List<OffboardingChange>();
        foreach (var change in decide(state.Clients, now))
        {
            StepChanges.Append(session, change, changes);
        }

        session.Store(new OffboardingBatch { Id = Guid.NewGuid(), OffboardingId = offboarding.Id, Step = (int)OffboardingStep.RemoveFromAccessControlLists, Changes = changes, At = now });
        await session.SaveChangesAsync(cancellation);
    }

    /// <summary>Active clients whose own ACL names one of the identities (at most <paramref name="limit"/>).</summary>
    private static async Task<List<Guid>> ClientsHolding(IQuerySession session, IReadOnlyList<string> identities, int limit, CancellationToken cancellation)
    {
        var found = new HashSet<Guid>();
        foreach (var identity in identities)
        {
            found.UnionWith(await session.Query<Client>()
                .Where(c => c.Status == ClientStatus.Active && c.AclEntries.Contains(identity))
                .Select(c => c.Id).Take(limit).ToListAsync(cancellation));
        }

        return [.. found.Take(limit)];
    }
}
