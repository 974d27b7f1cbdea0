using Control.Api.Features.Organizations;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Setup;

/// <summary>Creates the first organization and its owner with the one-time bootstrap token.</summary>
public static class SetupEndpoint
{
    public sealed class Validator : AbstractValidator<SetupRequest>
    {
        public Validator(Passwords passwords)
        {
            RuleFor(x => x.BootstrapToken).NotEmpty().WithMessage("The bootstrap token is required (see the API's data folder).");
            RuleFor(x => x.Slug).OrganizationSlug();
            RuleFor(x => x.Name).NotEmpty().MaximumLength(100).WithMessage("An organization name of at most 100 characters is required.");
            RuleFor(x => x.OwnerUsername).Username();
            RuleFor(x => x.OwnerPassword).Password();
            RuleFor(x => x.OwnerPassword).StrongPassword(passwords, x => [x.OwnerUsername, x.Slug, x.Name]);
        }
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/setup")]
    public static async Task<IResult> Post(
        SetupRequest request, IDocumentStore store, OrganizationFounding founding, BootstrapToken bootstrap, TimeProvider clock, HttpContext http,
        CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        await using var session = store.LightweightSession(request.Slug!);
        var state = await session.LoadAsync<BootstrapState>(BootstrapState.SingletonId, cancellation);
        var anyOrganization = await session.Query<OrganizationRegistration>().AnyAsync(cancellation);
        if (state is not { UsedAt: null } || anyOrganization || !Secrets.TokenMatches(request.BootstrapToken!, state.TokenHash))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Setup is not possible.",
                detail: "The bootstrap token is not valid, or setup has already been done. Sign in with an owner account instead.");
        }

        var actor = Actor.System("bootstrap");
        session.RecordAs(actor, "initial setup", http);
        var (created, refusal) = founding.Found(session, request.Slug!, request.Name!, request.OwnerUsername!, request.OwnerPassword!, slugTaken: false, actor, now);
        if (refusal is not null)
        {
            return Problems.From(refusal).ToResult();
        }

        state.UsedAt = now;
        session.Update(state);
        await session.SaveChangesAsync(cancellation);
        bootstrap.Forget();

        return Results.Created($"/operators/{created!.OwnerId}", created);
    }
}
