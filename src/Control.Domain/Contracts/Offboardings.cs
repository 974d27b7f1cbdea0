namespace Control.Domain.Contracts;

/// <param name="Person">The person's id, e-mail or exact name.</param>
/// <param name="Mode">exposure (default) or full.</param>
/// <param name="EffectiveAt">When to start (default: now); a scheduled offboarding can be cancelled until then.</param>
/// <param name="ReceiptDeadlineSeconds">How long to wait for the agents' receipts (default 600).</param>
public sealed record StartOffboardingRequest(string? Person, string? Reason, string? Mode, DateTimeOffset? EffectiveAt, int? ReceiptDeadlineSeconds) : IReasonedRequest;

public sealed record OffboardingChangeDto(string TargetKind, Guid TargetId, string Target, string Event, long Version, string What);

public sealed record OffboardingStepDto(int Step, string Name, string StepId, string Status, DateTimeOffset? CompletedAt, IReadOnlyList<OffboardingChangeDto> Changes, IReadOnlyList<string> Notes);

/// <param name="Status">pending (no receipt yet), received, or offline (pending after the deadline).</param>
/// <param name="ReceiptMilliseconds">From the change's commit to the agent's receipt.</param>
public sealed record OffboardingReceiptDto(
    Guid ClientId, string Client, long ExpectedVersion, string Status, long? ReceivedVersion, DateTimeOffset? ReceivedAt, double? ReceiptMilliseconds, string? Signature);

/// <param name="Status">scheduled, awaiting-approval, running, awaiting-receipts, completed, completed-with-pending or cancelled.</param>
/// <param name="ApprovalRequiredFor">The person's owner and security-admin accounts that made it wait for a second owner's approval.</param>
/// <param name="ApprovedBy">The owner who approved it.</param>
/// <param name="Waiting">Why it waits, in words (awaiting-approval).</param>
public sealed record OffboardingResponse(
    Guid Id, Guid PersonId, string Person, string Mode, string Reason, string Status, string RequestedBy, DateTimeOffset RequestedAt,
    DateTimeOffset? EffectiveAt, DateTimeOffset? StartedAt, DateTimeOffset? ChangesCommittedAt, DateTimeOffset? ReceiptsDueBy,
    int ExpectedReceipts, int PendingReceipts, DateTimeOffset? LastReceiptAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<OffboardingStepDto> Steps, IReadOnlyList<OffboardingReceiptDto> Receipts, long Version,
    IReadOnlyList<string>? ApprovalRequiredFor = null, string? ApprovedBy = null, string? Waiting = null);

/// <summary>The proof: every change with its event, every receipt, the timings, and the access review afterwards.</summary>
public sealed record OffboardingReport(
    OffboardingResponse Offboarding, double? SecondsToChangesCommitted, double? SecondsToLastReceipt, ReachableByResponse AccessReview, DateTimeOffset GeneratedAt);
