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

/// <summary>Links an operator account, a viewer identity or an own client to a person (each link an event; linking twice changes nothing).</summary>
public static class LinkPersonEndpoint
{
    public sealed class Validator : AbstractValidator<LinkPersonRequest>
    {
        public Validator()
        {
            RuleFor(x => x).Must(x => new[] { x.Operator, x.Identity, x.Client }.Count(v => !string.IsNullOrWhiteSpace(v)) == 1).OverridePropertyName("link")
                .WithMessage("Give exactly one of operator (a username), identity (an alias or client number) or client (alias, number or id).");
            RuleFor(x => x.Reason).PersonChangeReason();
        }
    }

    [Authorize(Policy = Policies.ManagePeople)]
    [WolverinePost("/people/{key}/links")]
    public static async Task<IResult> Post(
        LinkPersonRequest request, [PersonStream] IEventStream<Person> stream, IDocumentSession session, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        object command;
        if (request.Operator is { Length: > 0 } username)
        {
            var name = username.Trim().ToLowerInvariant();
            name = OrganizationRules.LocalName(name, session.TenantId) ?? name;
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

            var owner = await session.Query<Person>().FirstOrDefaultAsync(p => p.Id != stream.Id && p.Operators.Any(o => o.OperatorId == account.Id), cancellation);
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
            var aliasUser = OrganizationRules.LocalName(alias, session.TenantId);
            var named = aliasUser is null ? null : await session.Query<Operator>().FirstOrDefaultAsync(o => o.Username == aliasUser, cancellation);
            if (named is not null && OperatorDecider.ManageRefusal(named, http.User.OperatorRole(), http.User.Actor()) is { } forbidden)
            {
                return Problems.From(forbidden).ToResult();
            }

            command = new LinkIdentity(request.Identity!);
        }

        return PersonStream.Decide(stream, command, http.User.Actor(), clock.GetUtcNow());
    }
}
