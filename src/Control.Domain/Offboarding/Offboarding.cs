using Control.Domain.Common;
using Control.Domain.Operators;

namespace Control.Domain.Offboarding;

public enum OffboardingStatus
{
    Scheduled,
    Running,
    AwaitingReceipts,
    Completed,
    CompletedWithPending,
    Cancelled,

    /// <summary>Scheduled, but waiting for an owner other than the starter to approve it (privileged accounts): nothing changes yet.</summary>
    AwaitingApproval,
}

public sealed record OffboardingStepState(int Step, string Name, string StepId, DateTimeOffset? CompletedAt, IReadOnlyList<OffboardingChange> Changes, IReadOnlyList<string> Notes);

/// <summary>An offboarding as its stream tells it: progress, every change and the receipt wait.</summary>
public sealed record Offboarding
{
    public required Guid Id { get; init; }
    public required Guid PersonId { get; init; }
    public required string PersonName { get; init; }
    public required OffboardingMode Mode { get; init; }
    public required string Reason { get; init; }
    public required Actor RequestedBy { get; init; }
    public required DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset? EffectiveAt { get; init; }
    public TimeSpan ReceiptDeadline { get; init; }
    public OffboardingStatus Status { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public IReadOnlyList<OffboardingStepState> Steps { get; init; } = [];
    public DateTimeOffset? ChangesCommittedAt { get; init; }
    public DateTimeOffset? ReceiptsDueBy { get; init; }
    public int ExpectedReceipts { get; init; }
    public int PendingReceipts { get; init; }
    public DateTimeOffset? LastReceiptAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public Actor? CancelledBy { get; init; }

    /// <summary>The starter's role when they requested it: the authority every account change is decided with.</summary>
    public OperatorRole? StarterRole { get; init; }

    /// <summary>The privileged accounts (owner, security-admin) that made it wait for a second owner's approval.</summary>
    public IReadOnlyList<string> ApprovalRequiredFor { get; init; } = [];

    public Actor? ApprovedBy { get; init; }
    public DateTimeOffset? ApprovedAt { get; init; }
    public long Version { get; set; }

    public OffboardingAuthority Authority => new(StarterRole, RequestedBy);

    public int NextStep => Steps.Count(s => s.CompletedAt is not null) + 1;

    public static Offboarding? Evolve(Offboarding? state, object @event) => @event switch
    {
        OffboardingRequested e => new Offboarding
        {
            Id = e.OffboardingId,
            PersonId = e.PersonId,
            PersonName = e.PersonName,
            Mode = e.Mode,
            Reason = e.Reason,
            RequestedBy = e.By,
            RequestedAt = e.At,
            EffectiveAt = e.EffectiveAt,
            ReceiptDeadline = e.ReceiptDeadline,
            StarterRole = e.StarterRole,
            Status = OffboardingStatus.Scheduled,
            Steps = OffboardingSteps.All
                .Select(step => new OffboardingStepState((int)step, step.Name(), OffboardingSteps.StepId(e.OffboardingId, (int)step), null, [], []))
                .ToList(),
        },
        _ when state is null => null,
        OffboardingCancelled e => state with { Status = OffboardingStatus.Cancelled, CancelledBy = e.By, CompletedAt = e.At },
        OffboardingApprovalRequested e => state with { Status = OffboardingStatus.AwaitingApproval, ApprovalRequiredFor = e.Accounts, ApprovedBy = null, ApprovedAt = null },
        OffboardingApproved e => state with { Status = OffboardingStatus.Scheduled, ApprovedBy = e.By, ApprovedAt = e.At },
        OffboardingStarted e => state with { Status = OffboardingStatus.Running, StartedAt = e.At },
        OffboardingStepProgressed e => state with
        {
            Steps = state.Steps.Select(s => s.Step == e.Step ? s with { Changes = [.. s.Changes, .. e.Changes.Select(c => c with { At = c.At ?? e.At })] } : s).ToList(),
        },
        OffboardingStepCompleted e => state with
        {
            Steps = state.Steps.Select(s => s.Step == e.Step ? s with { CompletedAt = e.At, Changes = [.. s.Changes, .. e.Changes], Notes = e.Notes } : s).ToList(),
        },
        OffboardingChangesCommitted e => state with
        {
            Status = OffboardingStatus.AwaitingReceipts,
            ChangesCommittedAt = e.At,
            ExpectedReceipts = e.ExpectedReceipts,
            PendingReceipts = e.ExpectedReceipts,
            ReceiptsDueBy = e.ReceiptDeadline,
        },
        OffboardingCompleted e => state with
        {
            Status = e.Pending == 0 ? OffboardingStatus.Completed : OffboardingStatus.CompletedWithPending,
            PendingReceipts = e.Pending,
            LastReceiptAt = e.LastReceiptAt,
            CompletedAt = e.At,
        },
        OffboardingPendingResolved e => state with { Status = OffboardingStatus.Completed, PendingReceipts = 0, LastReceiptAt = e.LastReceiptAt },
        _ => state,
    };

    public static string StatusName(OffboardingStatus status) => status switch
    {
        OffboardingStatus.Scheduled => "scheduled",
        OffboardingStatus.Running => "running",
        OffboardingStatus.AwaitingReceipts => "awaiting-receipts",
        OffboardingStatus.Completed => "completed",
        OffboardingStatus.CompletedWithPending => "completed-with-pending",
        OffboardingStatus.Cancelled => "cancelled",
        OffboardingStatus.AwaitingApproval => "awaiting-approval",
        _ => status.ToString(),
    };
}
