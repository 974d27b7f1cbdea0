using System.Globalization;
using System.Text;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Marten;

namespace Control.Api.Features.Offboardings;

public static class OffboardingViews
{
    public static async Task<IReadOnlyList<OffboardingReceipt>> Receipts(IQuerySession session, Guid id, CancellationToken cancellation) =>
        await session.Query<OffboardingReceipt>().Where(r => r.OffboardingId == id).OrderBy(r => r.Client).ToListAsync(cancellation);

    public static OffboardingResponse Response(Offboarding o, IReadOnlyList<OffboardingReceipt> receipts)
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
                s.CompletedAt, s.Changes.Select(c => new OffboardingChangeDto(c.TargetKind, c.TargetId, c.Target, c.Event, c.Version, c.What)).ToList(), s.Notes)).ToList(),
            receipts.Select(r => new OffboardingReceiptDto(
                r.ClientId, r.Client, r.ExpectedVersion,
                !r.Pending ? "received" : o.Status == OffboardingStatus.CompletedWithPending ? "offline" : "pending",
                r.ReceivedVersion, r.ReceivedAt, r.ReceivedAt is { } at ? Math.Round(Math.Max(0, (at - r.ChangedAt).TotalMilliseconds), 1) : null,
                r.Signature)).ToList(),
            o.Version);
    }

    public static string Markdown(OffboardingReport report)
    {
        var o = report.Offboarding;
        var md = new StringBuilder();
        string T(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "—";
        md.Append(CultureInfo.InvariantCulture, $"# Offboarding of {o.Person}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Offboarding: `{o.Id}` (the correlation id of every event it appended)\n");
        md.Append(CultureInfo.InvariantCulture, $"- Status: **{o.Status}**, mode {o.Mode}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Requested by {o.RequestedBy} at {T(o.RequestedAt)}: {o.Reason}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Started {T(o.StartedAt)}; all changes committed {T(o.ChangesCommittedAt)} ({report.SecondsToChangesCommitted?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—"} s)\n");
        md.Append(CultureInfo.InvariantCulture, $"- Receipts: {o.ExpectedReceipts - o.PendingReceipts} of {o.ExpectedReceipts}; last at {T(o.LastReceiptAt)} ({report.SecondsToLastReceipt?.ToString("0.000", CultureInfo.InvariantCulture) ?? "—"} s after the start)\n\n");
        md.Append("## Steps\n\n");
        foreach (var step in o.Steps)
        {
            md.Append(CultureInfo.InvariantCulture, $"### {step.Step}. {step.Name} — {step.Status} {T(step.CompletedAt)}\n\n");
            if (step.Changes.Count == 0 && step.Notes.Count == 0)
            {
                md.Append("Nothing to change.\n\n");
            }

            foreach (var change in step.Changes)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {change.TargetKind} **{change.Target}**: {change.What} (`{change.Event}`, stream `{change.TargetId}` version {change.Version})\n");
            }

            foreach (var note in step.Notes)
            {
                md.Append(CultureInfo.InvariantCulture, $"- note: {note}\n");
            }

            md.Append('\n');
        }

        md.Append("## Receipts\n\n| client | expected version | status | received version | received at | after the change |\n|---|---|---|---|---|---|\n");
        foreach (var r in o.Receipts)
        {
            md.Append(CultureInfo.InvariantCulture,
                $"| {r.Client} | {r.ExpectedVersion} | {r.Status} | {r.ReceivedVersion?.ToString(CultureInfo.InvariantCulture) ?? "—"} | {T(r.ReceivedAt)} | {(r.ReceiptMilliseconds is { } ms ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms" : "—")} |\n");
        }

        var review = report.AccessReview;
        md.Append(CultureInfo.InvariantCulture, $"\n## Access review for {review.Person} at {T(report.GeneratedAt)}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Can sign in (an active operator account): {(review.CanSignIn ? "yes" : "no")}\n");
        md.Append(review.Paths.Count == 0 ? "- Reachable clients: **none**\n" : $"- Reachable clients: **{review.Paths.Count}**\n");
        foreach (var path in review.Paths)
        {
            md.Append(CultureInfo.InvariantCulture, $"  - {path.Client} as {path.ViewerAlias} ({path.AdmittedBy}; {string.Join(", ", path.Methods)})\n");
        }

        foreach (var wildcard in review.Wildcards)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Wildcard `{wildcard.Entry}` on {wildcard.Client} matches the released alias {wildcard.Identity}\n");
        }

        return md.ToString();
    }
}
