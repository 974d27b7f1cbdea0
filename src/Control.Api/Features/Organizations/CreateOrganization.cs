using Control.Api.Auth;
using Control.Api.Features.Setup;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Control.Api.Features.Organizations;

/// <summary>An owner creates a further organization (with its own owner account) where the deployment allows it.</summary>
public static class CreateOrganizationEndpoint
{
    public sealed class Validator : AbstractValidator<CreateOrganizationRequest>
    {
        public Validator(Passwords passwords)
        {
            RuleFor(x => x.Slug).OrganizationSlug();
            RuleFor(x => x.Name).NotEmpty().MaximumLength(100).WithMessage("An organization name of at most 100 characters is required.");
            RuleFor(x => x.OwnerUsername).Username();
            RuleFor(x => x.OwnerPassword).Password();
            RuleFor(x => x.OwnerPassword).StrongPassword(passwords, x => [x.OwnerUsername, x.Slug, x.Name]);
            RuleFor(x => x.Reason).Reason();
        }
    }

    public static ProblemDetails Before(IOptions<ControlOptions> options)
    {
        if (!options.Value.AllowOrganizationCreation)
        {
            return new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed.",
                Detail = "This deployment does not allow creating further organizations (Control:AllowOrganizationCreation).",
            };
        }

        return WolverineContinue.NoProblems;
    }

    [Authorize(Policy = Policies.CreateOrganizations)]
    [WolverinePost("/organizations")]
    public static async Task<IResult> Post(
        CreateOrganizationRequest request, IDocumentStore store, OrganizationFounding founding, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        var actor = http.User.Actor();
        await using var session = store.LightweightSession(request.Slug!);
        var taken = await session.LoadAsync<OrganizationRegistration>(request.Slug!, cancellation) is not null;
        session.RecordAs(actor, request.Reason, http);
        var (created, refusal) = founding.Found(session, request.Slug!, request.Name!, request.OwnerUsername!, request.OwnerPassword!, taken, actor, now);
        if (refusal is not null)
        {
            return Problems.From(refusal).ToResult();
        }

        await session.SaveChangesAsync(cancellation);
        return Results.Created($"/organizations/{request.Slug}", created);
    }
}
