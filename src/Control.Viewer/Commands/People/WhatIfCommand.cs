using System.CommandLine;
using Control.Domain.Access;
using Control.Domain.Contracts;
using Control.Viewer.Commands.Acl;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.People;

/// <summary><c>control access what-if CLIENT --add E --remove E [--days N]</c>: what a proposed ACL change would have refused; applies nothing.</summary>
internal static class WhatIfCommand
{
    private static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["client"] = "CLIENT",
        ["add"] = "--add",
        ["remove"] = "--remove",
        ["days"] = "--days",
        ["aclEnabled"] = "--acl",
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = new Argument<string?>("CLIENT") { Description = Clients.ClientTarget.Help + " (omit with --organization-wide)", Arity = ArgumentArity.ZeroOrOne };
        var add = Entries("--add", "An entry the proposal adds (repeat for more)");
        var remove = Entries("--remove", "An entry the proposal removes (repeat for more)");
        var acl = new Option<string?>("--acl") { Description = "Also switch the client's ACL on or off", HelpName = "on|off" };
        acl.AcceptOnlyFromAmong("on", "off");
        var organizationWide = new Option<bool>("--organization-wide") { Description = "Propose a change of the organization-wide entries instead of one client's" };
        var allowEveryone = new Option<bool>("--allow-everyone") { Description = "Confirm that an added '*' is meant: it admits anyone at all" };
        var days = new Option<int>("--days")
        {
            Description = $"How many days of sessions to check, 1-{WhatIfLimits.MaxDays}",
            HelpName = "N",
            DefaultValueFactory = _ => WhatIfLimits.DefaultDays,
            Validators = { r => { if (r.GetValueOrDefault<int>() is < 1 or > WhatIfLimits.MaxDays) r.AddError($"--days is between 1 and {WhatIfLimits.MaxDays}."); } },
        };
        var json = GlobalOptions.Json();
        var command = new Command("what-if", "Which sessions of the last N days a proposed ACL change would have refused (and denied ones it would admit); changes nothing")
        {
            client, add, remove, acl, organizationWide, allowEveryone, days, json,
        };
        command.Validators.Add(result =>
        {
            var named = result.GetValue(client) is not null;
            if (named == result.GetValue(organizationWide))
            {
                result.AddError("Name a CLIENT, or give --organization-wide (not both).");
            }

            // Presence only: reading --acl's value here would throw on a value the option itself rejects (reported by the parser).
            if (result.GetResult(add) is null && result.GetResult(remove) is null && result.GetResult(acl) is null)
            {
                result.AddError("Propose something: --add ENTRY, --remove ENTRY or --acl on|off.");
            }
        });
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var request = new WhatIfRequest(
                parse.GetValue(client), parse.GetValue(organizationWide), Normalized(parse.GetValue(add)), Normalized(parse.GetValue(remove)),
                parse.GetValue(acl) switch { "on" => true, "off" => false, _ => null }, parse.GetValue(allowEveryone), parse.GetValue(days));
            var result = await api.PostAsync<WhatIfResponse>("access/what-if", request, cancellation, Fields);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, result);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync(
                $"{result.Scope}: {result.SessionsChecked} session(s) since {Output.Time(result.Since)} checked; nothing was changed.");
            await Sessions(context, "Would have been refused:", result.WouldRefuse, "No session of the period would have been refused.");
            if (result.WouldAdmit.Count > 0)
            {
                await Sessions(context, "Denied then, admitted by the proposed ACL (for information):", result.WouldAdmit, "");
            }

            return Cli.Success;
        });
        return command;
    }

    private static Option<string[]> Entries(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "ENTRY",
        Validators =
        {
            result =>
            {
                foreach (var token in result.Tokens)
                {
                    if (!AclEntry.TryParse(token.Value, out _, out var error))
                    {
                        result.AddError(error);
                    }
                }
            },
        },
    };

    private static string[]? Normalized(string[]? entries) => entries?.Select(AclCommands.Normalize).ToArray();

    private static async Task Sessions(CliContext context, string title, IReadOnlyList<WhatIfSession> sessions, string none)
    {
        if (sessions.Count == 0)
        {
            await context.Out.WriteLineAsync(none);
            return;
        }

        await context.Out.WriteLineAsync(title);
        Output.Table(context.Out, ["WHEN", "CLIENT", "VIEWER", "THEN", "PROPOSED"], sessions.Select(s => (IReadOnlyList<string>)
            [Output.Time(s.At), s.Client, s.ViewerAlias, Output.Truncate(s.OutcomeThen, 50), Output.Truncate(s.WouldBe, 60)]));
    }
}
