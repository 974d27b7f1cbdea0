using Control.Api.Features.Access;
using Control.Domain.Clients;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.People;
using Marten;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 7 (<see cref="OffboardingStep.RemoveFromAccessControlLists"/>): their ids and aliases are removed from
/// every access control list (each client's, batch by batch through <see cref="AclBatches"/>, and the organization's);
/// the wildcards that still match them are reported; the last batch closes the person's record and releases their
/// aliases in its transaction, so that every change of the offboarding is committed when the step is. The aliases of
/// accounts the offboarding had no authority over stay and are reported.
/// </summary>
public sealed class Step7RemoveFromAccessControlLists(AclBatches batches)
{
    /// <summary>True when the step is done (its completion is the caller's to append); false when it goes on in the next message.</summary>
    public async Task<bool> Run(OffboardingStepContext step, int batchSize, int parallel)
    {
        var (session, offboarding, cancellation) = (step.Session, step.Offboarding, step.Cancellation);
        var actor = OffboardingStepContext.Actor;
        var operators = await session.Query<Operator>().ToListAsync(cancellation);
        var (person, kept) = OffboardingDecider.WithinAuthority(step.Person, operators, offboarding.Authority, actor, step.Now);
        var plan = await batches.Plan(step, person, batchSize, parallel, (clients, now) => OffboardingDecider.RemoveFromClientAcls(person, clients, actor, now));
        if (plan is null)
        {
            return false;
        }

        try
        {
            if (plan.Batch is { } batch)
            {
                // A batch before the last needs its clients and nothing else: no exposure, operators or people.
                var state = await AccessState.LoadClients(session, batch, cancellation);
                step.Apply(OffboardingStepDecision.Of(OffboardingDecider.RemoveFromClientAcls(person, state.Clients, actor, step.Now)));
                session.Events.Append(offboarding.Id, new OffboardingStepProgressed(offboarding.Id, (int)OffboardingStep.RemoveFromAccessControlLists, step.Changes, step.Now));
                return false;
            }

            // The last batch: what still names them here, and every client with a wildcard entry for the report (those that a
            // batch beside this one changes are read for the report only).
            IReadOnlyCollection<Guid> read = [.. plan.LastClients.Union(await AclBatches.ClientsWithWildcards(session, cancellation))];
            var facts = await step.ReadFacts(_ => read);
            step.Apply(OffboardingStepDecision.Of(
                OffboardingDecider.RemoveFromClientAcls(person, facts.Clients.Where(c => plan.LastClients.Contains(c.Id)), actor, step.Now)));
            step.Apply(OffboardingDecider.FinishAccessControlLists(person, facts.Organization, facts.Clients, kept, actor, step.Now));
            await plan.SideBySide;
            await AclBatches.Fold(session, offboarding, cancellation);
            var record = await session.Events.FetchForWriting<Person>(person.Id, cancellation);
            foreach (var change in OffboardingDecider.ClosePersonRecord(record.Aggregate!, offboarding.Id, kept, actor, step.Now).Changes)
            {
                step.Apply(record, change);
            }

            return true;
        }
        catch when (!plan.SideBySide.IsCompleted)
        {
            // The batches beside this one finish before the saga retries, so that its retry does not race them.
            await plan.SideBySide.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
    }
}
