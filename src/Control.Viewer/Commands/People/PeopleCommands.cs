using System.CommandLine;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.People;

/// <summary><c>control people ...</c>: HR records of employees, what they are linked to, and what they know.</summary>
internal static class PeopleCommands
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["reason"] = "--reason", ["name"] = "NAME", ["email"] = "--email", ["link"] = "--operator/--identity/--client", ["secret"] = "--secret", ["subject"] = "--subject",
    };

    public static Argument<string> Person() => new("PERSON") { Description = "The person: id, e-mail address, or exact name" };

    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("people", "HR records of employees: accounts, identities and clients that are theirs, what they know")
        {
            Add(context, globals), List(context, globals), Show(context, globals), Link(context, globals), Knows(context, globals), Exposure(context, globals),
        };

    private static Command Add(CliContext context, GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Full name" };
        var email = new Option<string?>("--email") { Description = "E-mail address (unique; it can name the person later)", HelpName = "EMAIL" };
        var reason = GlobalOptions.Reason("record the person");
        var json = GlobalOptions.Json();
        var command = new Command("add", "Record an employee (role hr, security-admin or owner)") { name, email, reason, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var person = await api.PostAsync<PersonResponse>("people", new AddPersonRequest(parse.GetValue(name), parse.GetValue(email), parse.GetValue(reason)), cancellation, Fields);
            return await Print(context, person, parse.GetValue(json), $"Recorded {person.Name} ({person.Id}). Link their accounts: control people link \"{person.Name}\" --operator USER --reason ...");
        });
        return command;
    }

    private static Command List(CliContext context, GlobalOptions globals)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List people: status, accounts, own clients") { json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var people = await api.GetAsync<List<PersonResponse>>("people", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, people);
                return Cli.Success;
            }

            Output.Table(context.Out, ["NAME", "E-MAIL", "STATUS", "ACCOUNTS", "OWN CLIENTS", "ID"],
                people.Select(p => (IReadOnlyList<string>)[p.Name, p.Email ?? "-", p.Status, Join(p.Operators.Select(o => o.Alias)), Join(p.Clients.Select(c => c.Label)), p.Id.ToString()]));
            return Cli.Success;
        });
        return command;
    }

    private static Command Show(CliContext context, GlobalOptions globals)
    {
        var person = Person();
        var json = GlobalOptions.Json();
        var command = new Command("show", "Show a person's record") { person, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var found = await api.GetAsync<PersonResponse>($"people/{Uri.EscapeDataString(parse.GetValue(person)!)}", cancellation);
            return await Print(context, found, parse.GetValue(json), null);
        });
        return command;
    }

    private static Command Link(CliContext context, GlobalOptions globals)
    {
        var person = Person();
        var account = new Option<string?>("--operator") { Description = "An operator account's username (its viewer alias is theirs)", HelpName = "USER" };
        var identity = new Option<string?>("--identity") { Description = "A viewer alias (bob@acme) or client number they connect from", HelpName = "ALIAS" };
        var client = new Option<string?>("--client") { Description = "A client that is theirs (alias, number or id)", HelpName = "CLIENT" };
        var reason = GlobalOptions.Reason("link it");
        var json = GlobalOptions.Json();
        var command = new Command("link", "Link an operator account, a viewer identity, or an own client to a person") { person, account, identity, client, reason, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var linked = await api.PostAsync<PersonResponse>($"people/{Uri.EscapeDataString(parse.GetValue(person)!)}/links",
                new LinkPersonRequest(parse.GetValue(account), parse.GetValue(identity), parse.GetValue(client), parse.GetValue(reason)), cancellation, Fields);
            return await Print(context, linked, parse.GetValue(json), null);
        });
        return command;
    }

    private static Command Knows(CliContext context, GlobalOptions globals)
    {
        var person = Person();
        var secret = new Option<string>("--secret")
        {
            Description = "operator-password (a shared account), license-key, unattended-password, custom-client-link, client-totp-secret",
            Required = true,
            HelpName = "KIND",
        };
        var subject = new Option<string?>("--subject") { Description = "Whose secret: a username, a client, or a custom client's name", HelpName = "NAME" };
        var reason = GlobalOptions.Reason("record it");
        var json = GlobalOptions.Json();
        var command = new Command("knows", "Record that a person knows a secret Control never showed them (admins)") { person, secret, subject, reason, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var recorded = await api.PostAsync<PersonResponse>($"people/{Uri.EscapeDataString(parse.GetValue(person)!)}/knowledge",
                new RecordKnowledgeRequest(parse.GetValue(secret), parse.GetValue(subject), parse.GetValue(reason)), cancellation, Fields);
            return await Print(context, recorded, parse.GetValue(json), "Recorded: an offboarding of this person rotates it.");
        });
        return command;
    }

    private static Command Exposure(CliContext context, GlobalOptions globals)
    {
        var person = Person();
        var json = GlobalOptions.Json();
        var command = new Command("exposure", "The secrets a person knows now (a rotation ends that knowledge)") { person, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var exposure = await api.GetAsync<ExposureResponse>($"people/{Uri.EscapeDataString(parse.GetValue(person)!)}/exposure", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, exposure);
                return Cli.Success;
            }

            if (exposure.Secrets.Count == 0)
            {
                await context.Out.WriteLineAsync($"{exposure.Person} knows no current secret.");
                return Cli.Success;
            }

            Output.Table(context.Out, ["SECRET", "OF", "HOW", "SINCE"],
                exposure.Secrets.Select(s => (IReadOnlyList<string>)[s.Secret + (s.TokenId is null ? "" : $" {s.TokenId}"), s.Subject, s.How, Output.Time(s.Since)]));
            return Cli.Success;
        });
        return command;
    }

    private static async Task<int> Print(CliContext context, PersonResponse person, bool json, string? note)
    {
        if (json)
        {
            Output.WriteJson(context.Out, person);
            return Cli.Success;
        }

        await context.Out.WriteLineAsync($"{person.Name} ({person.Status})");
        await context.Out.WriteLineAsync($"  id:          {person.Id}");
        await context.Out.WriteLineAsync($"  e-mail:      {person.Email ?? "-"}");
        await context.Out.WriteLineAsync($"  accounts:    {Join(person.Operators.Select(o => o.Alias))}");
        await context.Out.WriteLineAsync($"  identities:  {Join(person.Identities)}");
        await context.Out.WriteLineAsync($"  own clients: {Join(person.Clients.Select(c => c.Label))}");
        if (person.OffboardingId is { } offboarding)
        {
            await context.Out.WriteLineAsync($"  offboarding: {offboarding}");
        }

        if (note is not null)
        {
            await context.Out.WriteLineAsync(note);
        }

        return Cli.Success;
    }

    private static string Join(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "-" : string.Join(", ", list);
    }
}
