using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using static Control.Domain.Tests.Offboarding.OffboardingGiven;

namespace Control.Domain.Tests.Offboarding;

/// <summary>Given an offboarding's events; when it is cancelled, a step message arrives, or receipts are checked; then events, a refusal or what the saga does (DeciderSpec where the answer is a decision).</summary>
public class OffboardingLifecycleTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Actor Hannah = Actor.Operator(Guid.CreateVersion7(), "hannah", "acme");

    /// <summary>The state after these events (for the rules that answer with something other than events).</summary>
    private static Domain.Offboarding.Offboarding Given(params object[] events) =>
        new object[] { Requested }.Concat(events).Aggregate((Domain.Offboarding.Offboarding?)null, Domain.Offboarding.Offboarding.Evolve)!;

    private static OffboardingStepCompleted Done(int step) => new(Id, step, OffboardingSteps.StepId(Id, step), [], [], T0);

    private static readonly object[] AllSteps = [.. Enumerable.Range(1, OffboardingSteps.Count).Select(Done)];

    private static DeciderSpec<Domain.Offboarding.Offboarding> Spec =>
        new DeciderSpec<Domain.Offboarding.Offboarding>(Domain.Offboarding.Offboarding.Evolve).Given(Requested);

    private static readonly OffboardingRequested Requested =
        new(Id, Guid.CreateVersion7(), "Bob", OffboardingMode.Exposure, "left", null, TimeSpan.FromMinutes(10), Hannah, T0, OperatorRole.Hr);

    [Fact]
    public void Cancel_AScheduledOne_IsCancelled() =>
        Spec.When(s => OffboardingDecider.Cancel(s, Hannah, T0)).Then(new OffboardingCancelled(Id, Hannah, T0));

    [Fact]
    public void Cancel_OneAwaitingApproval_IsCancelled() =>
        Spec.Given(new OffboardingApprovalRequested(Id, ["olga@acme"], T0)).When(s => OffboardingDecider.Cancel(s, Hannah, T0)).Then(new OffboardingCancelled(Id, Hannah, T0));

    [Fact]
    public void Cancel_OnceStarted_IsRefused_ItRunsToTheEnd()
    {
        var refusal = Spec.Given(new OffboardingStarted(Id, T0)).When(s => OffboardingDecider.Cancel(s, Hannah, T0)).ThenRefused("offboarding.not_scheduled", RefusalKind.Conflict);

        Assert.Equal("The offboarding is running; only a scheduled one (or one awaiting approval) can be cancelled.", refusal.Message);
    }

    [Fact]
    public void Cancel_Twice_IsRefused() =>
        Spec.Given(new OffboardingCancelled(Id, Hannah, T0)).When(s => OffboardingDecider.Cancel(s, Hannah, T0)).ThenRefused("offboarding.not_scheduled");

    public static TheoryData<string, Domain.Offboarding.Offboarding?, int, StepAdmission> AdmitCases => new()
    {
        { "the first step of a scheduled one", Given(), 1, StepAdmission.Run },
        { "the next step", Given(new OffboardingStarted(Id, T0), Done(1), Done(2)), 3, StepAdmission.Run },
        { "a batch of the running step again", Given(new OffboardingStarted(Id, T0), new OffboardingStepProgressed(Id, 1, [], T0)), 1, StepAdmission.Run },
        { "a step done already", Given(new OffboardingStarted(Id, T0), Done(1), Done(2)), 2, StepAdmission.AlreadyDone },
        { "a step ahead of the next", Given(new OffboardingStarted(Id, T0)), 3, StepAdmission.AlreadyDone },
        { "the commit after the seventh", Given([new OffboardingStarted(Id, T0), .. AllSteps]), 8, StepAdmission.Run },
        { "past the commit", Given([new OffboardingStarted(Id, T0), .. AllSteps]), 9, StepAdmission.AlreadyDone },
        { "waiting for approval", Given(new OffboardingApprovalRequested(Id, ["olga@acme"], T0)), 1, StepAdmission.AwaitingApproval },
        { "cancelled", Given(new OffboardingCancelled(Id, Hannah, T0)), 1, StepAdmission.Ended },
        { "gone", null, 1, StepAdmission.Ended },
    };

    [Theory]
    [MemberData(nameof(AdmitCases))]
    public void Admit(string scenario, Domain.Offboarding.Offboarding? given, int step, StepAdmission then) =>
        Assert.True(then == OffboardingDecider.Admit(given, step), scenario);

    private static readonly OffboardingChangesCommitted Committed = new(Id, 2, T0.AddMinutes(10), T0);

    [Fact]
    public void Receipts_AllIn_Completed() =>
        Spec.Given(Committed).When(s => OffboardingDecider.ReceiptsChecked(s, 2, 0, T0, T0.AddMinutes(1))).Then(new OffboardingCompleted(Id, 2, 0, T0, T0.AddMinutes(1)));

    [Fact]
    public void Receipts_SomeMissingBeforeTheDeadline_ItWaits() =>
        Spec.Given(Committed).When(s => OffboardingDecider.ReceiptsChecked(s, 1, 1, T0, T0.AddMinutes(1))).ThenNothing();

    [Fact]
    public void Receipts_SomeMissingAtTheDeadline_CompletedWithPending() =>
        Spec.Given(Committed).When(s => OffboardingDecider.ReceiptsChecked(s, 1, 1, T0, T0.AddMinutes(10))).Then(new OffboardingCompleted(Id, 1, 1, T0, T0.AddMinutes(10)));

    [Fact]
    public void Receipts_TheLastPendingOneComesBack_Whole() =>
        Spec.Given(Committed, new OffboardingCompleted(Id, 1, 1, T0, T0.AddMinutes(10)))
            .When(s => OffboardingDecider.ReceiptsChecked(s, 2, 0, T0, T0.AddMinutes(20)))
            .Then(new OffboardingPendingResolved(Id, T0, T0.AddMinutes(20)));

    [Fact]
    public void Receipts_CompletedAlready_Nothing() =>
        Spec.Given(Committed, new OffboardingCompleted(Id, 2, 0, T0, T0.AddMinutes(1))).When(s => OffboardingDecider.ReceiptsChecked(s, 2, 0, T0, T0.AddMinutes(2))).ThenNothing();

    [Fact]
    public void Receipts_StillRunning_Nothing() =>
        Spec.Given(new OffboardingStarted(Id, T0)).When(s => OffboardingDecider.ReceiptsChecked(s, 0, 0, T0, T0)).ThenNothing();

    private static readonly object[] Ran = [new OffboardingStarted(Id, T0), .. AllSteps];

    [Fact]
    public void CommitChanges_ReceiptsToWaitFor_TheWaitStartsWithTheDeadline() =>
        Spec.Given(Ran).When(s => OffboardingDecider.CommitChanges(s, 3, 1, T0, T0.AddMinutes(1)))
            .Then(new OffboardingChangesCommitted(Id, 3, T0.AddMinutes(11), T0.AddMinutes(1)));

    [Fact]
    public void CommitChanges_EveryReceiptInAlready_CompleteAtOnce() =>
        Spec.Given(Ran).When(s => OffboardingDecider.CommitChanges(s, 2, 2, T0, T0.AddMinutes(1)))
            .Then(new OffboardingChangesCommitted(Id, 2, T0.AddMinutes(11), T0.AddMinutes(1)), new OffboardingCompleted(Id, 2, 0, T0, T0.AddMinutes(1)));

    [Fact]
    public void CommitChanges_NoAgentHadToChange_CompleteAtOnce() =>
        Spec.Given(Ran).When(s => OffboardingDecider.CommitChanges(s, 0, 0, null, T0.AddMinutes(1)))
            .Then(new OffboardingChangesCommitted(Id, 0, T0.AddMinutes(11), T0.AddMinutes(1)), new OffboardingCompleted(Id, 0, 0, null, T0.AddMinutes(1)));

    public static TheoryData<string, Domain.Offboarding.Offboarding, int, DateTimeOffset, ReceiptWait> ReceiptWaitCases => new()
    {
        { "receipts missing", Given(Committed), 1, T0.AddMinutes(1), ReceiptWait.Continue },
        { "receipts missing after the deadline (completed with pending)", Given(Committed, new OffboardingCompleted(Id, 1, 1, T0, T0.AddMinutes(10))), 1, T0.AddMinutes(11), ReceiptWait.Continue },
        { "all in while awaiting them", Given(Committed), 0, T0.AddMinutes(1), ReceiptWait.Ended },
        { "the last pending one back", Given(Committed, new OffboardingCompleted(Id, 1, 1, T0, T0.AddMinutes(10))), 0, T0.AddMinutes(20), ReceiptWait.Ended },
        { "all in, completed already", Given(Committed, new OffboardingCompleted(Id, 2, 0, T0, T0.AddMinutes(1))), 0, T0.AddMinutes(2), ReceiptWait.Ended },
        { "all in while the commit may still run", Given(Ran), 0, T0.AddMinutes(1), ReceiptWait.LookAgainShortly },
        { "all in, the last step done a deadline ago", Given(Ran), 0, T0.AddMinutes(10), ReceiptWait.Continue },
        { "all in before the last step", Given(new OffboardingStarted(Id, T0), Done(1)), 0, T0, ReceiptWait.Continue },
    };

    [Theory]
    [MemberData(nameof(ReceiptWaitCases))]
    public void AfterReceiptsChecked(string scenario, Domain.Offboarding.Offboarding before, int pending, DateTimeOffset now, ReceiptWait then) =>
        Assert.True(then == OffboardingDecider.AfterReceiptsChecked(before, pending, now), scenario);

    [Fact]
    public void Reach_EveryAgentAcknowledgesAnOrganizationWideChange_EachChangeTimedByItsBatchOrStep()
    {
        var door = Guid.CreateVersion7();
        var till = Guid.CreateVersion7();
        var given = Given(
            new OffboardingStarted(Id, T0),
            new OffboardingStepCompleted(Id, 2, OffboardingSteps.StepId(Id, 2),
                [new OffboardingChange(OffboardingTargets.Organization, Guid.Empty, "acme", "ViewerCertificatesRevoked", 11, "revoked")], [], T0.AddSeconds(2)),
            new OffboardingStepCompleted(Id, 5, OffboardingSteps.StepId(Id, 5),
                [new OffboardingChange(OffboardingTargets.Client, till, "till@acme", "TokensCleared", 8, "cleared")], [], T0.AddSeconds(5)),
            new OffboardingStepProgressed(Id, 7, [new OffboardingChange(OffboardingTargets.Client, door, "door@acme", "AclEntryRemoved", 9, "removed")], T0.AddSeconds(6)),
            new OffboardingStepCompleted(Id, 7, OffboardingSteps.StepId(Id, 7), [], [], T0.AddSeconds(9)));

        var reach = OffboardingReach.Of(given);

        Assert.True(reach.EveryClient);
        Assert.True(reach.ChangedClients.SetEquals([till, door]));
        Assert.Equal(T0.AddSeconds(5), reach.ChangedAt(till));
        Assert.Equal(T0.AddSeconds(6), reach.ChangedAt(door));
        Assert.Equal(T0.AddSeconds(2), reach.ChangedAt(Guid.CreateVersion7()));
        Assert.False(OffboardingReach.Of(Given(new OffboardingStarted(Id, T0))).EveryClient);
        Assert.Null(OffboardingReach.Of(Given(new OffboardingStarted(Id, T0))).ChangedAt(door));
    }
}
