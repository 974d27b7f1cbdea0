using Control.Api.Auth;
using Control.Api.Features.Clients;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.CustomClients;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using FluentValidation;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Control.Api.Features.People;

/// <summary>Adds a person (an HR record): whom an offboarding later covers, with their accounts, aliases and clients.</summary>
public static class AddPersonEndpoint
{
    public sealed class Validator : AbstractValidator<AddPersonRequest>
    {
        public Validator() => RuleFor(x => x.Reason).PersonChangeReason();
    }

    [Authorize(Policy = Policies.ManagePeople)]
    [WolverinePost("/people")]
    public static async Task<IResult> Post(AddPersonRequest request, IDocumentSession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
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
