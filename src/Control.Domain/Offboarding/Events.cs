using Control.Domain.Common;
using Control.Domain.Operators;

namespace Control.Domain.Offboarding;

// Event names and shapes are a permanent contract: never rename or remove one; add a new event instead.
// One stream per offboarding (its id), and every change it makes elsewhere carries that id as its correlation id.

public enum OffboardingMode
{
    /// <summary>Rotate what the person is known to know (from the exposure projection).</summary>
    Exposure,

    /// <summary>Also reset the license key, rotate every public custom-client link and every password of a client they could reach.</summary>
    Full,
}

/// <summary>HR asked for it; <paramref name="EffectiveAt"/> schedules it (null: at once).</summary>
/// <param name="StarterRole">
/// The requester's role then: every account change of the offboarding is decided with it (null: no role, so the offboarding
/// changes no operator account).
/// </param>
public sealed record OffboardingRequested(
    Guid OffboardingId, Guid PersonId, string PersonName, OffboardingMode Mode, string Reason, DateTimeOffset? EffectiveAt,
    TimeSpan ReceiptDeadline, Actor By, DateTimeOffset At, OperatorRole? StarterRole = null);

/// <summary>
/// The person is linked to owner or security-admin accounts (<paramref name="Accounts"/>): the offboarding changes nothing
/// until an owner other than its starter approves it.
/// </summary>
public sealed record OffboardingApprovalRequested(Guid OffboardingId, IReadOnlyList<string> Accounts, DateTimeOffset At);

/// <summary>An owner other than the starter approved the offboarding of a person with privileged accounts (the second person).</summary>
public sealed record OffboardingApproved(Guid OffboardingId, Actor By, DateTimeOffset At);

public sealed record OffboardingCancelled(Guid OffboardingId, Actor By, DateTimeOffset At);

public sealed record OffboardingStarted(Guid OffboardingId, DateTimeOffset At);

/// <summary>
/// One change a step made: which stream (client, operator, organization, custom client), its event and version.
/// <paramref name="At"/>: when the batch that made it was decided, for a step done in batches (else the step's time).
/// </summary>
public sealed record OffboardingChange(string TargetKind, Guid TargetId, string Target, string Event, long Version, string What, DateTimeOffset? At = null);

/// <summary>
/// A batch of a step is done (in the same transaction as its changes) and the step goes on with the next one: a step that
/// changes thousands of clients commits them a batch at a time, so each batch's agents get their change at once.
/// </summary>
public sealed record OffboardingStepProgressed(Guid OffboardingId, int Step, IReadOnlyList<OffboardingChange> Changes, DateTimeOffset At);

/// <summary>A step is done (in the same transaction as its changes). <paramref name="StepId"/> is deterministic: offboarding id + step.</summary>
/// <param name="Notes">What the step reports without changing (a wildcard that matches the person, a secret already rotated).</param>
public sealed record OffboardingStepCompleted(
    Guid OffboardingId, int Step, string StepId, IReadOnlyList<OffboardingChange> Changes, IReadOnlyList<string> Notes, DateTimeOffset At);

/// <summary>Every change is committed; the offboarding now waits for the agents' signed receipts of the new policies.</summary>
public sealed record OffboardingChangesCommitted(Guid OffboardingId, int ExpectedReceipts, DateTimeOffset ReceiptDeadline, DateTimeOffset At);

/// <summary>The receipt wait ended: every receipt is in (<paramref name="Pending"/> = 0), or the deadline passed with some clients offline.</summary>
public sealed record OffboardingCompleted(Guid OffboardingId, int Received, int Pending, DateTimeOffset? LastReceiptAt, DateTimeOffset At);

/// <summary>The last pending client came back and acknowledged: the offboarding that completed with pending receipts is whole.</summary>
public sealed record OffboardingPendingResolved(Guid OffboardingId, DateTimeOffset LastReceiptAt, DateTimeOffset At);
