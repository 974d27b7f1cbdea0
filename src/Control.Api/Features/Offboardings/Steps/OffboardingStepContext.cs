using Control.Api.Features.Access;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.People;
using JasperFx.Events;
using Marten;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// One run of a step inside the saga's transaction: what it reads the decider's facts from, and what it collects (the
/// changes it appended, its notes) for the step's own event, which the caller appends last.
/// </summary>
public sealed class OffboardingStepContext(
    IDocumentSession session, SecretProtector protector, Offboarding offboarding, Person person, DateTimeOffset now, CancellationToken cancellation)
{
    public IDocumentSession Session => session;
    public Offboarding Offboarding => offboarding;
    public Person Person => person;
    /// <summary>When the step's changes are decided (a step done in rounds moves it on with each round: receipt times are measured from it).</summary>
    public DateTimeOffset Now { get; set; } = now;
    public CancellationToken Cancellation => cancellation;
    public static Actor Actor => OffboardingRecording.Actor;
    public List<OffboardingChange> Changes { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>
    /// The person's exposure and the organization's state, with just the clients <paramref name="clientsNeeded"/> names
    /// from the exposure (null: every active client): only the ACL step and a full rotation look at every client.
    /// </summary>
    public async Task<OffboardingFacts> ReadFacts(Func<IReadOnlyList<SecretKnowledge>, IReadOnlyCollection<Guid>?> clientsNeeded)
    {
        var knowledge = await session.Query<SecretKnowledge>().ToListAsync(cancellation);
        var exposure = OffboardingDecider.ExposureOf(person, knowledge);
        var state = await AccessState.Load(session, cancellation, clientsNeeded(exposure), knowledge);
        return new OffboardingFacts(person, exposure, offboarding.Mode, state.Organization, state.Clients, state.Operators, state.CustomClients);
    }

    /// <summary>Appends every change to its stream read with its version (clients), keeps the notes and seals the new secrets.</summary>
    public void Apply(OffboardingStepDecision decision)
    {
        foreach (var change in decision.Changes)
        {
            StepChanges.Append(session, change, Changes);
        }

        Keep(decision);
    }

    /// <summary>Appends the change to its stream fetched for writing.</summary>
    public void Apply<T>(IEventStream<T> stream, OffboardingStreamChange change) where T : class => StepChanges.Append(stream, change, Changes);

    /// <summary>The decision's notes and new secrets (its changes are appended by the caller).</summary>
    public void Keep(OffboardingStepDecision decision)
    {
        Notes.AddRange(decision.Notes);
        foreach (var secret in decision.Sealed)
        {
            session.Store(new SealedSecret
            {
                Id = secret.Key,
                Protected = protector.Protect(System.Text.Encoding.UTF8.GetBytes(secret.Value), SealedSecret.Purpose(secret.Key)),
                OffboardingId = offboarding.Id,
                SealedAt = Now,
            });
        }
    }

    /// <summary>The step is done: its completion, with every change and note, in the transaction of its (last) changes.</summary>
    public void Complete(OffboardingStep step) =>
        session.Events.Append(offboarding.Id, new OffboardingStepCompleted(offboarding.Id, (int)step, OffboardingSteps.StepId(offboarding.Id, (int)step), Changes, Notes, Now));
}
