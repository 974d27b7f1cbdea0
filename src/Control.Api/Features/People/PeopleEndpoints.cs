using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.People;

public static class AddPersonEndpoint
{
    [Authorize(Policy = Policies.ManagePeople)]
    [WolverinePost("/people")]
    public static async Task<IResult> Post(AddPersonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > ValidationRules.MaxReasonLength)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["A reason is required for every change of an HR record."] });
        }

        var organization = await session.Query<Organization>().SingleAsync(cancellation);
        var id = Guid.CreateVersion7();
        var actor = http.User.Actor();
        var decision = PersonDecider.Decide(new AddPerson(id, organization.Id, request.Name ?? "", request.Email), actor, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        if (request.Email is { Length: > 0 } email && await session.Query<Person>().AnyAsync(p => p.Email != null && p.Email.Equals(email.Trim(), StringComparison.OrdinalIgnoreCase), cancellation))
        {
            return Problems.From(new Refusal(RefusalKind.Conflict, "person.email_taken", "A person with that e-mail address exists already.")).ToResult();
        }
        session.Events.StartStream<Person>(id, decision.Events.ToArray());
        var person = decision.Events.Aggregate((Person?)null, Person.Evolve)!;
        person.Version = decision.Events.Count;
        return Results.Created($"/people/{id}", PersonLookup.Response(person));
    }
}

public static class ListPeopleEndpoint
{
    [Authorize(Policy = Policies.ReadPeople)]
    [WolverineGet("/people")]
    public static async Task<IReadOnlyList<PersonResponse>> Get(IQuerySession session, CancellationToken cancellation)
    {
        var people = await session.Query<Person>().OrderBy(p => p.Name).ToListAsync(cancellation);
        return people.Select(PersonLookup.Response).ToList();
    }
}

public static class GetPersonEndpoint
{
    [Authorize(Policy = Policies.ReadPeople)]
    [WolverineGet("/people/{key}")]
    public static async Task<IResult> Get(string key, IQuerySession session, CancellationToken cancellation) =>
        await PersonLookup.Find(session, key, cancellation) is { } person
            ? Results.Ok(PersonLookup.Response(person))
            : Problems.NotFound("person").ToResult();
}

/// <summary>Links an operator account, a viewer identity or an own client to a person (each link an event; linking twice changes nothing).</summary>
public static class LinkPersonEndpoint
{
    [Authorize(Policy = Policies.ManagePeople)]
    [WolverinePost("/people/{key}/links")]
    public static async Task<IResult> Post(
        string key, LinkPersonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var given = new[] { request.Operator, request.Identity, request.Client }.Count(v => !string.IsNullOrWhiteSpace(v));
        var errors = new Dictionary<string, string[]>();
        if (given != 1)
        {
            errors["link"] = ["Give exactly one of operator (a username), identity (an alias or client number) or client (alias, number or id)."];
        }

        var (person, problem) = await PersonLookup.Target(session, key, request.Reason, errors, cancellation);
        if (person is null)
        {
            return problem!;
        }

        object command;
        if (request.Operator is { Length: > 0 } username)
        {
            var name = username.Trim().ToLowerInvariant();
            name = name.EndsWith("@" + session.TenantId, StringComparison.Ordinal) ? name[..name.IndexOf('@')] : name;
            var account = await session.Query<Operator>().FirstOrDefaultAsync(o => o.Username == name, cancellation);
            if (account is null)
            {
                return Problems.NotFound("operator").ToResult();
            }

            // An offboarding of the person disables the account and releases its alias: linking it needs the authority to manage it.
            if (OperatorDecider.ManageRefusal(account, http.User.OperatorRole(), http.User.Actor()) is { } forbidden)
            {
                return Problems.From(forbidden).ToResult();
            }

            var owner = await session.Query<Person>().FirstOrDefaultAsync(p => p.Id != person.Id && p.Operators.Any(o => o.OperatorId == account.Id), cancellation);
            if (owner is not null)
            {
                return Problems.From(new Refusal(RefusalKind.Conflict, "person.operator_taken", $"{account.QualifiedName} is linked to {owner.Name} already.")).ToResult();
            }

            command = new LinkOperator(account.Id, account.QualifiedName);
        }
        else if (request.Client is { Length: > 0 } clientKey)
        {
            var client = await ClientLookup.Find(session, clientKey, cancellation);
            if (client is null)
            {
                return Problems.NotFound("client").ToResult();
            }

            command = new LinkClient(client.Id, client.Alias ?? client.NumberText);
        }
        else
        {
            // An operator's own alias linked as an identity is released by an offboarding just as a linked account is.
            var alias = request.Identity!.Trim().ToLowerInvariant();
            var aliasUser = alias.EndsWith("@" + session.TenantId, StringComparison.Ordinal) ? alias[..alias.LastIndexOf('@')] : null;
            var named = aliasUser is null ? null : await session.Query<Operator>().FirstOrDefaultAsync(o => o.Username == aliasUser, cancellation);
            if (named is not null && OperatorDecider.ManageRefusal(named, http.User.OperatorRole(), http.User.Actor()) is { } forbidden)
            {
                return Problems.From(forbidden).ToResult();
            }

            command = new LinkIdentity(request.Identity!);
        }

        return await Apply(session, person, command, request.Reason!, http, clock, cancellation);
    }

    internal static async Task<IResult> Apply(
        IDocumentSession session, Person person, object command, string reason, HttpContext http, TimeProvider clock, CancellationToken cancellation)
    {
        var stream = await session.Events.FetchForWriting<Person>(person.Id, cancellation);
        var actor = http.User.Actor();
        var decision = PersonDecider.Decide(command, stream.Aggregate!, actor, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }
        stream.AppendMany(decision.Events.ToArray());
        var state = decision.Events.Aggregate(stream.Aggregate!, (current, e) => Person.Evolve(current, e)!);
        state.Version = (stream.StartingVersion ?? 0) + decision.Events.Count;
        return Results.Ok(PersonLookup.Response(state));
    }
}

/// <summary>An admin records that a person knows a secret Control did not show them (typically a shared account's password).</summary>
public static class RecordKnowledgeEndpoint
{
    [Authorize(Policy = Policies.RecordKnowledge)]
    [WolverinePost("/people/{key}/knowledge")]
    public static async Task<IResult> Post(
        string key, RecordKnowledgeRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (!SecretKnowledge.TryParseName(request.Secret, out var secret) || secret == SecretKind.RememberToken)
        {
            errors["secret"] = ["Secrets: operator-password, license-key, unattended-password, custom-client-link, client-totp-secret."];
        }
        else if (secret != SecretKind.LicenseKey && string.IsNullOrWhiteSpace(request.Subject))
        {
            errors["subject"] = ["Name whose secret it is: an operator's username, a client, or a custom client."];
        }

        var (person, problem) = await PersonLookup.Target(session, key, request.Reason, errors, cancellation);
        if (person is null)
        {
            return problem!;
        }

        var subject = request.Subject?.Trim().ToLowerInvariant() ?? "";
        (Guid Id, string Label)? found = secret switch
        {
            SecretKind.LicenseKey => await session.Query<Organization>().SingleAsync(cancellation) is var o ? (o.Id, "the license key") : null,
            SecretKind.OperatorPassword => await session.Query<Operator>().FirstOrDefaultAsync(x => x.Username == subject, cancellation) is { } op
                ? (op.Id, $"the password of {op.QualifiedName}") : null,
            SecretKind.CustomClientLink => await session.Query<CustomClient>().FirstOrDefaultAsync(c => c.Name == subject && !c.Deleted, cancellation) is { } cc
                ? (cc.Id, $"the registration link of {cc.Name}") : null,
            _ => await ClientLookup.Find(session, subject, cancellation) is { } client
                ? (client.Id, $"the {SecretKnowledge.Name(secret).Replace('-', ' ')} of {client.Alias ?? client.NumberText}") : null,
        };
        if (found is not { } target)
        {
            return Problems.NotFound(secret == SecretKind.OperatorPassword ? "operator" : secret == SecretKind.CustomClientLink ? "custom client" : "client").ToResult();
        }

        return await LinkPersonEndpoint.Apply(session, person, new RecordKnowledge(target.Id, secret, target.Label), request.Reason!, http, clock, cancellation);
    }
}
