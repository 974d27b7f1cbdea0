using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Marten;

namespace Control.Api.Features.Offboardings;

public static class OffboardingViews
{
    public static async Task<IReadOnlyList<OffboardingReceipt>> Receipts(IQuerySession session, Guid id, CancellationToken cancellation) =>
        await session.Query<OffboardingReceipt>().Where(r => r.OffboardingId == id).OrderBy(r => r.Client).ToListAsync(cancellation);

    /// <summary>Batches of the running step that committed on their own and are not folded into the stream yet.</summary>
    public static async Task<IReadOnlyList<OffboardingBatch>> Batches(IQuerySession session, Guid id, CancellationToken cancellation) =>
        await session.Query<OffboardingBatch>().Where(b => b.OffboardingId == id).OrderBy(b => b.At).ToListAsync(cancellation);

    /// <param name="batches">What the running step's batches changed so far (shown with the step until it folds them).</param>
    public static OffboardingResponse Response(Offboarding o, IReadOnlyList<OffboardingReceipt> receipts, IReadOnlyList<OffboardingBatch>? batches = null)
    {
        var next = o.NextStep;
        var running = o.Status is OffboardingStatus.Running;
        return new OffboardingResponse(
            o.Id, o.PersonId, o.PersonName, o.Mode == OffboardingMode.Full ? "full" : "exposure", o.Reason, Offboarding.StatusName(o.Status),
            o.RequestedBy.Name, o.RequestedAt, o.EffectiveAt, o.StartedAt, o.ChangesCommittedAt, o.ReceiptsDueBy, o.ExpectedReceipts,
            receipts.Count > 0 ? receipts.Count(r => r.Pending) : o.PendingReceipts,
            receipts.Where(r => r.ReceivedAt is not null).Select(r => r.ReceivedAt).Max() ?? o.LastReceiptAt, o.CompletedAt,
            o.Steps.Select(s => new OffboardingStepDto(
                s.Step, s.Name, s.StepId,
                s.CompletedAt is not null ? "done" : o.Status == OffboardingStatus.Cancelled ? "cancelled" : running && s.Step == next ? "running" : "pending",
                s.CompletedAt, s.Changes.Concat(s.CompletedAt is null ? (batches ?? []).Where(b => b.Step == s.Step).SelectMany(b => b.Changes) : []).Select(c => new OffboardingChangeDto(c.TargetKind, c.TargetId, c.Target, c.Event, c.Version, c.What)).ToList(), s.Notes)).ToList(),
            receipts.Select(r => new OffboardingReceiptDto(
                r.ClientId, r.Client, r.ExpectedVersion,
                !r.Pending ? "received" : o.Status == OffboardingStatus.CompletedWithPending ? "offline" : "pending",
                r.ReceivedVersion, r.ReceivedAt, r.ReceivedAt is { } at ? Math.Round(Math.Max(0, (at - r.ChangedAt).TotalMilliseconds), 1) : null,
                r.Signature)).ToList(),
            o.Version,
            o.ApprovalRequiredFor, o.ApprovedBy?.Name, OffboardingApproval.Waiting(o));
    }
}
