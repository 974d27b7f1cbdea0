using System.Globalization;
using System.Text;
using Control.Domain.Contracts;

namespace Control.Domain.Offboarding;

/// <summary>The offboarding report as Markdown (the API serves it; the CLI renders the same from the JSON).</summary>
public static class OffboardingReportMarkdown
{
    public static string Render(OffboardingReport report)
    {
        var o = report.Offboarding;
        var md = new StringBuilder();
        string T(DateTimeOffset? t) => t?.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "—";
        md.Append(CultureInfo.InvariantCulture, $"# Offboarding of {o.Person}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Offboarding: `{o.Id}` (the correlation id of every event it appended)\n");
        md.Append(CultureInfo.InvariantCulture, $"- Status: **{o.Status}**, mode {o.Mode}\n");
        md.Append(CultureInfo.InvariantCulture, $"- Requested by {o.RequestedBy} at {T(o.RequestedAt)}: {o.Reason}\n");
        if (o.Waiting is { } waiting)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Nothing changed yet: {waiting}\n");
        }
        else if (o.ApprovedBy is { } approver)
        {
            md.Append(CultureInfo.InvariantCulture, $"- Approved by {approver} (privileged accounts: {string.Join(", ", o.ApprovalRequiredFor ?? [])})\n");
        }

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
