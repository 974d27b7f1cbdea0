using System.Globalization;
using Control.Api.Features.Clients;
using Control.Api.Features.Receipts;
using Control.Domain.Clients;
using Control.Domain.Offboarding;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Api.Hosting;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// The offboarding workflow, a Wolverine saga persisted by Marten in PostgreSQL. Each message runs one step in one
/// transaction together with the saga's own state and the next step's message (Wolverine's outbox), so a process killed
/// at any point resumes from the last committed step and never does a step twice: the offboarding's stream records each
/// completed step, and a step message that does not match the next step is a duplicate and is dropped. The stream is
/// also the optimistic-concurrency guard against a cancellation racing the first step.
/// </summary>
public sealed class OffboardingSaga : Saga
{
    /// <summary>How soon a receipt check is repeated while the changes may still be committing (<see cref="ReceiptWait.LookAgainShortly"/>).</summary>
    private static readonly TimeSpan LookAgainAfter = TimeSpan.FromSeconds(1);

    /// <summary>The offboarding's id: everything else about it (its status, its next step) is its stream's.</summary>
    public Guid Id { get; set; }

    public async Task<object?> Handle(
        RunOffboardingStep message, IDocumentSession session, OffboardingStepRunner runner, TimeProvider clock, ILogger<OffboardingSaga> logger,
        IOptions<ControlOptions> options, CancellationToken cancellation)
    {
        if (options.Value.OffboardingStepDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.OffboardingStepDelay, cancellation);
        }

        var stream = await session.Events.FetchForWriting<Offboarding>(Id, cancellation);
        var offboarding = stream.Aggregate;
        switch (OffboardingDecider.Admit(offboarding, message.Step))
        {
            case StepAdmission.Ended:
                MarkCompleted();
                return null;
            case StepAdmission.AwaitingApproval:
                logger.LogInformation("Offboarding {Id}: waits for a second owner's approval; step {Step} not run", Id, message.Step);
                return null;
            case StepAdmission.AlreadyDone:
                logger.LogInformation("Offboarding {Id}: step {Step} already done, ignored (a redelivery)", Id, message.Step);
                return null;
        }

        var now = clock.GetUtcNow();
        OffboardingRecording.RecordAs(session, offboarding!);
        if (offboarding!.Status == OffboardingStatus.Scheduled)
        {
            // A privileged account linked since the request needs the approval too: it waits instead of starting.
            var person = await session.LoadAsync<Person>(offboarding.PersonId, cancellation);
            var approval = await OffboardingApprovals.Request(session, offboarding, person!, now, cancellation);
            if (approval.Events.Count > 0)
            {
                stream.AppendMany(approval.Events.ToArray());
                return null;
            }

            stream.AppendOne(new OffboardingStarted(Id, now));
        }

        if (message.Step <= OffboardingSteps.Count)
        {
            if (!await runner.Run(
                    session, offboarding, (OffboardingStep)message.Step, now, Math.Max(1, options.Value.OffboardingBatchSize), Math.Max(1, options.Value.OffboardingParallelBatches),
                    cancellation))
            {
                logger.LogInformation("Offboarding {Id}: a batch of step {Step} committed", Id, message.Step);
                return new RunOffboardingStep(Id, message.Step);
            }

            logger.LogInformation("Offboarding {Id}: step {Step} committed", Id, message.Step);
            return new RunOffboardingStep(Id, message.Step + 1);
        }

        await CommitChanges(session, offboarding, now, cancellation);
        return null;
    }

    /// <summary>
    /// After the last step (which closed the person's record): every client whose policy changed is expected to acknowledge
    /// the version that carries the changes. The receipt watcher takes it from here.
    /// </summary>
    private async Task CommitChanges(IDocumentSession session, Offboarding offboarding, DateTimeOffset now, CancellationToken cancellation)
    {
        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var reach = OffboardingReach.Of(offboarding);
        // Only what a receipt needs of each client, selected in SQL: at 10,000 clients, whole documents cost seconds.
        List<(Guid Id, string Name, long PolicyRevision)> clients = reach.EveryClient
            ? [.. (await session.Query<Client>().Where(c => c.Status == ClientStatus.Active)
                    .Select(c => new { c.Id, c.Alias, c.Number, c.PolicyRevision }).ToListAsync(cancellation))
                .Select(c => (c.Id, c.Alias ?? c.Number.ToString(CultureInfo.InvariantCulture), c.PolicyRevision))]
            : [];
        var extra = reach.ChangedClients.Except(clients.Select(c => c.Id)).ToList();
        if (extra.Count > 0)
        {
            clients.AddRange((await session.LoadManyAsync<Client>(cancellation, extra)).Select(c => (c.Id, c.Alias ?? c.NumberText, c.PolicyRevision)));
        }

        var deadline = OffboardingDecider.ReceiptsDueBy(offboarding, now);
        // Receipts that are in already (an agent can acknowledge before this bookkeeping commits) count at once.
        var presence = (await session.LoadManyAsync<ClientPresence>(cancellation, clients.Select(c => c.Id))).ToDictionary(p => p.Id);
        var received = new List<DateTimeOffset?>();
        var receipts = new List<OffboardingReceipt>(clients.Count);
        foreach (var client in clients)
        {
            var receipt = new OffboardingReceipt
            {
                Id = OffboardingReceipt.IdOf(Id, client.Id),
                OffboardingId = Id,
                Organization = session.TenantId,
                DueBy = deadline,
                ClientId = client.Id,
                Client = client.Name,
                ExpectedVersion = client.PolicyRevision + organization.PolicyRevision,
                ChangedAt = reach.ChangedAt(client.Id) ?? now,
            };
            if (ReceiptWatcher.Matches(receipt, presence.GetValueOrDefault(client.Id)))
            {
                received.Add(receipt.ReceivedAt);
            }

            receipts.Add(receipt);
        }

        // Written ahead of this transaction, in bulk: a session's unit of work checks each stored document against every
        // one before it, which at 10,000 receipts is seconds of CPU just when the agents' new policies are due. The
        // receipts are keyed by offboarding and client, so a retry of this step writes the same rows again; until the
        // commit below they are inert (the saga acts on receipts only once it awaits them).
        await session.DocumentStore.BulkInsertAsync(session.TenantId, receipts, Weasel.Core.BulkInsertMode.OverwriteExisting, 5000, cancellation);

        var decision = OffboardingDecider.CommitChanges(offboarding, clients.Count, received.Count, received.Max(), now);
        session.Events.Append(Id, decision.Events.ToArray());
        if (decision.Events.Any(e => e is OffboardingCompleted))
        {
            MarkCompleted();
        }
    }

    /// <summary>What the receipt watcher saw: all in (done), or the deadline passed (completed with pending, still watched).</summary>
    public async Task<object?> Handle(OffboardingReceiptsChecked message, IDocumentSession session, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Offboarding>(Id, cancellation);
        var offboarding = stream.Aggregate!;
        var receipts = await session.Query<OffboardingReceipt>().Where(r => r.OffboardingId == Id).ToListAsync(cancellation);
        var pending = receipts.Count(r => r.ReceivedAt is null);
        var last = receipts.Where(r => r.ReceivedAt is not null).Select(r => r.ReceivedAt).Max();
        var now = clock.GetUtcNow();
        OffboardingRecording.RecordAs(session, offboarding);
        stream.AppendMany([.. OffboardingDecider.ReceiptsChecked(offboarding, receipts.Count - pending, pending, last, now).Events]);

        switch (OffboardingDecider.AfterReceiptsChecked(offboarding, pending, now))
        {
            case ReceiptWait.Ended:
                MarkCompleted();
                return null;
            case ReceiptWait.LookAgainShortly:
                return message.DelayedFor(LookAgainAfter);
            default:
                return null;
        }
    }

    /// <summary>A message for an offboarding whose saga is finished (a late duplicate): nothing to do.</summary>
    public static void NotFound(RunOffboardingStep message, ILogger<OffboardingSaga> logger) =>
        logger.LogInformation("Offboarding {Id}: finished already; step {Step} ignored", message.OffboardingId, message.Step);

    public static void NotFound(OffboardingReceiptsChecked message)
    {
    }
}
