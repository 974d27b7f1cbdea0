using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.People;

/// <summary><c>control access ...</c>: the access review, now or as of a past time, a client's ACL history, and the ACL what-if.</summary>
internal static class AccessCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("access", "Access review: who can reach a client, what a person can reach (now or as of a time); ACL history; ACL what-if")
        {
            WhoCanReach(context, globals), ReachableBy(context, globals), AclHistoryCommand.Create(context, globals), WhatIfCommand.Create(context, globals),
        };

    private static Option<DateTimeOffset?> At(CliContext context) => new("--at")
    {
        Description = "Answer as it was at this time (replayed from the events up to then): " + PointInTime.Help,
        HelpName = "TIME",
        CustomParser = r => PointInTime.Parse(r, context.Clock.GetUtcNow()),
    };

    private static string AtQuery(DateTimeOffset? at) =>
        at is { } moment ? "?at=" + Uri.EscapeDataString(moment.ToString("O", System.Globalization.CultureInfo.InvariantCulture)) : "";

    private static async Task AsOf(CliContext context, DateTimeOffset? asOf, string? note)
    {
        if (asOf is { } moment)
        {
            await context.Out.WriteLineAsync($"As of {Output.Time(moment)}:");
        }

        if (note is not null)
        {
            await context.Out.WriteLineAsync(note);
        }
    }

    private static Command WhoCanReach(CliContext context, GlobalOptions globals)
    {
        var client = new Argument<string>("CLIENT") { Description = "Alias, 9-digit number or id" };
        var json = GlobalOptions.Json();
        var at = At(context);
        var command = new Command("who-can-reach", "Who can open a session to a client, admitted by which ACL entry, by which methods") { client, at, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var review = await api.GetAsync<WhoCanReachResponse>(
                $"access/who-can-reach/{Uri.EscapeDataString(parse.GetValue(client)!)}{AtQuery(parse.GetValue(at))}", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, review);
                return Cli.Success;
            }

            await AsOf(context, review.AsOf, review.Note);

            await context.Out.WriteLineAsync($"{review.Client}: access control list {(review.AclEnabled ? "on: " + string.Join(", ", review.AclEntries) : "off (any viewer of the organization)")}");
            await Paths(context, review.Paths, "Nobody can reach it.");
            return Cli.Success;
        });
        return command;
    }

    private static Command ReachableBy(CliContext context, GlobalOptions globals)
    {
        var person = PeopleCommands.Person();
        var json = GlobalOptions.Json();
        var at = At(context);
        var command = new Command("reachable-by", "Every client a person could open a session to (now or as of a time), and how") { person, at, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var review = await api.GetAsync<ReachableByResponse>(
                $"access/reachable-by/{Uri.EscapeDataString(parse.GetValue(person)!)}{AtQuery(parse.GetValue(at))}", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, review);
                return Cli.Success;
            }

            await AsOf(context, review.AsOf, review.Note);

            await context.Out.WriteLineAsync($"{review.Person}: {(review.CanSignIn ? "has an active operator account" : "no active operator account (cannot obtain a viewer certificate)")}");
            await Paths(context, review.Paths, "Nothing reachable.");
            foreach (var wildcard in review.Wildcards)
            {
                await context.Out.WriteLineAsync($"note: wildcard {wildcard.Entry} on {wildcard.Client} matches {wildcard.Identity}");
            }

            return Cli.Success;
        });
        return command;
    }

    private static async Task Paths(CliContext context, IReadOnlyList<AccessPathDto> paths, string none)
    {
        if (paths.Count == 0)
        {
            await context.Out.WriteLineAsync(none);
            return;
        }

        Output.Table(context.Out, ["CLIENT", "VIEWER", "PERSON", "ADMITTED BY", "METHODS"],
            paths.Select(p => (IReadOnlyList<string>)[p.Client, p.ViewerAlias, p.Person ?? "-", p.AdmittedBy, string.Join("; ", p.Methods)]));
    }
}
