using System.CommandLine;
using System.CommandLine.Parsing;
using Control.Domain.Contracts;
using Control.Domain.Offboarding;
using Control.Viewer.Commands.People;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Offboarding;

/// <summary>
/// <c>control offboard PERSON --reason ...</c> starts an offboarding (HR's one command); <c>status</c>, <c>report</c>,
/// <c>cancel</c>, <c>approve</c> (the second owner of the two-person rule) and <c>list</c> follow it.
/// </summary>
internal static class OffboardCommands
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["reason"] = "--reason", ["person"] = "PERSON", ["mode"] = "--mode", ["effectiveAt"] = "--at", ["receiptDeadlineSeconds"] = "--receipt-deadline",
    };

    private static readonly TimeSpan WatchPeriod = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var person = PeopleCommands.Person();
        var reason = GlobalOptions.Reason("offboard the person");
        var mode = new Option<string>("--mode") { Description = "exposure: rotate what they know (default); full: also every public link, the license key, and every password of a client they could reach", DefaultValueFactory = _ => "exposure", HelpName = "MODE" };
        mode.AcceptOnlyFromAmong("exposure", "full");
        var at = new Option<DateTimeOffset?>("--at")
        {
            Description = "Start later: an ISO 8601 time (2026-12-31T17:00:00Z) or a delay (30m, 24h, 7d); it can be cancelled until then",
            HelpName = "TIME",
            CustomParser = result => ParseWhen(result, context),
        };
        var deadline = new Option<int?>("--receipt-deadline") { Description = "Seconds to wait for the agents' receipts (default 600)", HelpName = "SECONDS" };
        var watch = new Option<bool>("--watch") { Description = "Follow the steps and receipts live until it completes" };
        var json = GlobalOptions.Json();
        var command = new Command("offboard", "Offboard a person: the seven steps of revocation, as one durable workflow, then the agents' receipts")
        {
            person, reason, mode, at, deadline, watch, json, Status(context, globals), Report(context, globals), Cancel(context, globals), Approve(context, globals),
            List(context, globals),
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var started = await api.PostAsync<OffboardingResponse>("offboardings",
                new StartOffboardingRequest(parse.GetValue(person), parse.GetValue(reason), parse.GetValue(mode), parse.GetValue(at), parse.GetValue(deadline)), cancellation, Fields);
            if (parse.GetValue(json) && !parse.GetValue(watch))
            {
                Output.WriteJson(context.Out, started);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(started.Waiting is { } waiting
                ? $"Offboarding {started.Id} of {started.Person} changes nothing yet: {waiting} (control offboard approve {started.Id} --reason ...)."
                : started.EffectiveAt is { } when
                ? $"Offboarding {started.Id} of {started.Person} is scheduled for {Output.Time(when)} (cancel: control offboard cancel {started.Id} --reason ...)."
                : $"Offboarding {started.Id} of {started.Person} started ({started.Mode} mode).");
            return parse.GetValue(watch) ? await Watch(context, api, started.Id, parse.GetValue(json), cancellation) : Cli.Success;
        });
        return command;
    }

    private static Command Status(CliContext context, GlobalOptions globals)
    {
        var id = Id();
        var watch = new Option<bool>("--watch") { Description = "Follow it live until it completes" };
        var json = GlobalOptions.Json();
        var command = new Command("status", "Each step, each affected client and its receipt") { id, watch, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            if (parse.GetValue(watch))
            {
                return await Watch(context, api, parse.GetValue(id), parse.GetValue(json), cancellation);
            }

            var offboarding = await api.GetAsync<OffboardingResponse>($"offboardings/{parse.GetValue(id)}", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, offboarding);
                return Cli.Success;
            }

            await Describe(context, offboarding);
            return Cli.Success;
        });
        return command;
    }

    private static Command Report(CliContext context, GlobalOptions globals)
    {
        var id = Id();
        var format = new Option<string>("--format") { Description = "md (default) or json", DefaultValueFactory = _ => "md", HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong("md", "json");
        var command = new Command("report", "The proof: every change and its event, every receipt, the timings, and the access review afterwards") { id, format };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var report = await api.GetAsync<OffboardingReport>($"offboardings/{parse.GetValue(id)}/report", cancellation);
            if (parse.GetValue(format) == "json")
            {
                Output.WriteJson(context.Out, report);
            }
            else
            {
                await context.Out.WriteAsync(OffboardingReportMarkdown.Render(report));
            }

            return Cli.Success;
        });
        return command;
    }

    private static Command Cancel(CliContext context, GlobalOptions globals) =>
        WithReason(context, globals, "cancel", "Cancel a scheduled offboarding or one awaiting approval (one that has started runs to the end)", "cancel it",
            cancelled => $"Offboarding {cancelled.Id} of {cancelled.Person} is cancelled; nothing was changed.");

    private static Command Approve(CliContext context, GlobalOptions globals) =>
        WithReason(context, globals, "approve", "Approve, as an owner other than its starter, the offboarding of a person with owner or security-admin accounts", "approve it",
            approved => approved.EffectiveAt is { } when && when > context.Clock.GetUtcNow()
                ? $"Approved: the offboarding {approved.Id} of {approved.Person} starts at {Output.Time(when)}."
                : $"Approved: the offboarding {approved.Id} of {approved.Person} starts now (control offboard status {approved.Id} --watch).");

    /// <summary>A verb that posts a reason to <c>offboardings/ID/VERB</c> and says what became of it.</summary>
    private static Command WithReason(
        CliContext context, GlobalOptions globals, string verb, string description, string reasonFor, Func<OffboardingResponse, string> outcome)
    {
        var id = Id();
        var reason = GlobalOptions.Reason(reasonFor);
        var command = new Command(verb, description) { id, reason };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var answer = await api.PostAsync<OffboardingResponse>($"offboardings/{parse.GetValue(id)}/{verb}", new ReasonRequest(parse.GetValue(reason)), cancellation, Fields);
            await context.Out.WriteLineAsync(outcome(answer));
            return Cli.Success;
        });
        return command;
    }

    private static Command List(CliContext context, GlobalOptions globals)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "Offboardings, newest first") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var all = await api.GetAsync<List<OffboardingResponse>>("offboardings", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, all);
                return Cli.Success;
            }

            Output.Table(context.Out, ["REQUESTED", "PERSON", "MODE", "STATUS", "BY", "ID"],
                all.Select(o => (IReadOnlyList<string>)[Output.Time(o.RequestedAt), o.Person, o.Mode, o.Status, o.RequestedBy, o.Id.ToString()]));
            return Cli.Success;
        });
        return command;
    }

    private static Argument<Guid> Id() => new("ID") { Description = "The offboarding's id (control offboard list)" };

    /// <summary>Prints each step as it completes, then the receipts as they arrive, until the offboarding is over.</summary>
    private static async Task<int> Watch(CliContext context, SignedInApi api, Guid id, bool json, CancellationToken cancellation)
    {
        var shownSteps = 0;
        var shownReceipts = -1;
        var status = "";
        while (true)
        {
            var o = await api.GetAsync<OffboardingResponse>($"offboardings/{id}", cancellation);
            if (!json)
            {
                foreach (var step in o.Steps.Where(s => s.Status == "done" && s.Step > shownSteps).OrderBy(s => s.Step))
                {
                    await context.Out.WriteLineAsync($"  [{step.Step}/7] {step.Name}: {Summary(step)}");
                    shownSteps = step.Step;
                }

                var received = o.ExpectedReceipts - o.PendingReceipts;
                if (o.ChangesCommittedAt is not null && received != shownReceipts)
                {
                    await context.Out.WriteLineAsync($"  receipts: {received}/{o.ExpectedReceipts} agents enforce the new policy");
                    shownReceipts = received;
                }

                if (o.Status != status)
                {
                    await context.Out.WriteLineAsync(o.Waiting is { } waiting ? $"status: {o.Status} ({waiting})" : $"status: {o.Status}");
                    status = o.Status;
                }
            }

            if (o.Status is "completed" or "completed-with-pending" or "cancelled")
            {
                if (json)
                {
                    Output.WriteJson(context.Out, o);
                }
                else if (o.Status == "completed-with-pending")
                {
                    await context.Out.WriteLineAsync($"Offline at the deadline: {string.Join(", ", o.Receipts.Where(r => r.Status != "received").Select(r => r.Client))} (it updates itself when they come back).");
                }

                if (!json && o.Status != "cancelled")
                {
                    await context.Out.WriteLineAsync($"Report: control offboard report {o.Id}");
                }

                return Cli.Success;
            }

            await Task.Delay(WatchPeriod, cancellation);
        }
    }

    private static async Task Describe(CliContext context, OffboardingResponse o)
    {
        await context.Out.WriteLineAsync($"Offboarding {o.Id} of {o.Person}: {o.Status} ({o.Mode} mode), requested by {o.RequestedBy} at {Output.Time(o.RequestedAt)}");
        if (o.Waiting is { } waiting)
        {
            await context.Out.WriteLineAsync($"  {waiting}: an owner runs control offboard approve {o.Id} --reason ...");
        }
        else if (o.ApprovedBy is { } approver)
        {
            await context.Out.WriteLineAsync($"  approved by {approver} (privileged accounts: {string.Join(", ", o.ApprovalRequiredFor ?? [])})");
        }

        foreach (var step in o.Steps)
        {
            await context.Out.WriteLineAsync($"  [{step.Step}/7] {step.Status,-9} {step.Name}: {(step.Status == "done" ? Summary(step) : "-")}");
            foreach (var change in step.Changes)
            {
                await context.Out.WriteLineAsync($"        {change.TargetKind} {change.Target}: {change.Event} (version {change.Version})");
            }

            foreach (var note in step.Notes)
            {
                await context.Out.WriteLineAsync($"        note: {note}");
            }
        }

        if (o.Receipts.Count > 0)
        {
            await context.Out.WriteLineAsync($"Receipts: {o.ExpectedReceipts - o.PendingReceipts}/{o.ExpectedReceipts}");
            Output.Table(context.Out, ["CLIENT", "EXPECTED", "STATUS", "RECEIVED", "AFTER CHANGE"],
                o.Receipts.Select(r => (IReadOnlyList<string>)[r.Client, r.ExpectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Status,
                    r.ReceivedVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    r.ReceiptMilliseconds is { } ms ? $"{ms:0} ms" : "-"]));
        }
    }

    private static string Summary(OffboardingStepDto step) =>
        step.Changes.Count == 0 ? (step.Notes.Count > 0 ? step.Notes[0] : "nothing to change") : $"{step.Changes.Count} change(s)" +
            (step.Notes.Count > 0 ? $", {step.Notes.Count} note(s)" : "");

    private static DateTimeOffset? ParseWhen(ArgumentResult result, CliContext context)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        var now = context.Clock.GetUtcNow();
        if (PointInTime.TryParseAge(text, out var delay))
        {
            return now + delay;
        }

        if (PointInTime.TryParse(text, now, out var moment))
        {
            return moment;
        }

        result.AddError($"'{text}' is not a time: use an ISO 8601 time (2026-12-31T17:00:00Z) or a delay such as 30m, 24h, 7d.");
        return null;
    }
}
