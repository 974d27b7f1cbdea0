using Control.Domain.Common;

namespace Control.Domain.Offboarding;

/// <summary>What the saga does with a step message, given the offboarding's state.</summary>
public enum StepAdmission
{
    /// <summary>The step is the next one: run it.</summary>
    Run,

    /// <summary>The offboarding is cancelled (or gone): nothing runs any more, the saga ends.</summary>
    Ended,

    /// <summary>A second owner's approval is missing: nothing runs until it is given (the approval sends the step again).</summary>
    AwaitingApproval,

    /// <summary>The step is done already (a redelivery or a retry of a committed step): dropped.</summary>
    AlreadyDone,
}

/// <summary>What the saga does after a check of an offboarding's receipts.</summary>
public enum ReceiptWait
{
    /// <summary>Receipts are still missing (or the changes are not committed yet): the receipt watcher reports the next change.</summary>
    Continue,

    /// <summary>Every receipt is in and the offboarding is (or now becomes) complete: the saga ends.</summary>
    Ended,

    /// <summary>
    /// Every receipt is in, but the transaction committing the changes may still be running (the receipts are written
    /// just ahead of it, so agents can acknowledge before it commits): look again shortly, since the watcher will not.
    /// </summary>
    LookAgainShortly,
}

/// <summary>The offboarding's own life: cancelling it, admitting a step, committing its changes and ending the receipt wait.</summary>
public static partial class OffboardingDecider
{
    /// <summary>
    /// Only a scheduled offboarding (or one awaiting approval) is cancelled: once its first step has begun it runs to the
    /// end, since a half-done offboarding protects no one.
    /// </summary>
    public static Decision Cancel(Offboarding state, Actor actor, DateTimeOffset now) =>
        state.Status is OffboardingStatus.Scheduled or OffboardingStatus.AwaitingApproval
            ? Decision.Accept(new OffboardingCancelled(state.Id, actor, now))
            : Decision.Refuse(RefusalKind.Conflict, "offboarding.not_scheduled",
                $"The offboarding is {Offboarding.StatusName(state.Status)}; only a scheduled one (or one awaiting approval) can be cancelled.");

    /// <summary>
    /// Whether step <paramref name="step"/> (1-7, or 8: commit the changes and wait for receipts) runs now: each step runs
    /// once, in order, so a message that is not for the next step is a duplicate.
    /// </summary>
    public static StepAdmission Admit(Offboarding? state, int step) => state switch
    {
        null or { Status: OffboardingStatus.Cancelled } => StepAdmission.Ended,
        { Status: OffboardingStatus.AwaitingApproval } => StepAdmission.AwaitingApproval,
        _ when step != state.NextStep || step > OffboardingSteps.Count + 1 => StepAdmission.AlreadyDone,
        _ => StepAdmission.Run,
    };

    /// <summary>
    /// The receipt wait ends when every receipt is in or the deadline passes (completed, with the offline clients pending);
    /// a completed-with-pending offboarding is whole once the last pending client acknowledges.
    /// </summary>
    public static Decision ReceiptsChecked(Offboarding state, int received, int pending, DateTimeOffset? lastReceiptAt, DateTimeOffset now)
    {
        if (state.Status == OffboardingStatus.AwaitingReceipts && (pending == 0 || now >= state.ReceiptsDueBy))
        {
            return Decision.Accept(new OffboardingCompleted(state.Id, received, pending, lastReceiptAt, now));
        }

        return state.Status == OffboardingStatus.CompletedWithPending && pending == 0
            ? Decision.Accept(new OffboardingPendingResolved(state.Id, lastReceiptAt ?? now, now))
            : Decision.NothingToDo;
    }

    /// <summary>The agents' receipts of changes committed at <paramref name="committedAt"/> are due within the offboarding's receipt deadline.</summary>
    public static DateTimeOffset ReceiptsDueBy(Offboarding state, DateTimeOffset committedAt) => committedAt + state.ReceiptDeadline;

    /// <summary>
    /// After the last step, <paramref name="expected"/> clients must acknowledge the changes: the receipt wait starts, or
    /// the offboarding is complete at once when nothing is left to wait for (no agent had to change, or every one has
    /// acknowledged already, <paramref name="received"/>).
    /// </summary>
    public static Decision CommitChanges(Offboarding state, int expected, int received, DateTimeOffset? lastReceiptAt, DateTimeOffset now)
    {
        var committed = new OffboardingChangesCommitted(state.Id, expected, ReceiptsDueBy(state, now), now);
        return received == expected
            ? Decision.Accept(committed, new OffboardingCompleted(state.Id, received, 0, lastReceiptAt, now))
            : Decision.Accept(committed);
    }

    /// <summary>
    /// What follows a receipt check that found <paramref name="pending"/> receipts missing, given the offboarding before
    /// the check's own events: the wait ends once every receipt is in after the changes were committed.
    /// </summary>
    public static ReceiptWait AfterReceiptsChecked(Offboarding before, int pending, DateTimeOffset now)
    {
        if (pending != 0)
        {
            return ReceiptWait.Continue;
        }

        if (before.Status is OffboardingStatus.AwaitingReceipts or OffboardingStatus.CompletedWithPending or OffboardingStatus.Completed)
        {
            return ReceiptWait.Ended;
        }

        var lastStepDone = before.Steps.LastOrDefault(s => s.Step == (int)OffboardingSteps.Last)?.CompletedAt;
        return before.Status == OffboardingStatus.Running && lastStepDone is not null && now - lastStepDone < before.ReceiptDeadline
            ? ReceiptWait.LookAgainShortly
            : ReceiptWait.Continue;
    }
}
