using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

/// <summary>An invited operator, or one whose password was reset, sets a password with the one-time activation code.</summary>
public static class ActivateEndpoint
{
    public sealed class Validator : AbstractValidator<ActivateRequest>
    {
        public Validator(Passwords passwords)
        {
            RuleFor(x => x.Organization).OrganizationSlug();
            RuleFor(x => x.Username).Username();
            RuleFor(x => x.ActivationCode).NotEmpty().MaximumLength(64).WithMessage("The activation code is required.");
            RuleFor(x => x.NewPassword).Password();
            RuleFor(x => x.NewPassword).StrongPassword(passwords, x => [x.Username, x.Organization]);
        }
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/auth/activate")]
    public static async Task<IResult> Post(
        ActivateRequest request, IDocumentStore store, Passwords passwords, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(request.Organization!);
        var account = await session.Query<Operator>().FirstOrDefaultAsync(x => x.Username == request.Username, cancellation);
        var hash = passwords.Hash(request.NewPassword!);
        if (account is null)
        {
            return Problems.From(new Domain.Common.Refusal(
                Domain.Common.RefusalKind.Invalid, "operator.activation_invalid", "The activation code is not valid (wrong, used or expired).")).ToResult();
        }

        var stream = await session.Events.FetchForWriting<Operator>(account.Id, cancellation);
        var decision = OperatorDecider.Decide(new ActivateOperator(request.ActivationCode!, hash), stream.Aggregate!, clock.GetUtcNow());
        if (decision.Refusal is { } refusal)
        {
            return Problems.From(refusal).ToResult();
        }

        session.RecordAs(Domain.Common.Actor.Operator(account.Id, account.Username, account.OrganizationSlug), "activation", http);
        stream.AppendMany(decision.Events.ToArray());
        await session.SaveChangesAsync(cancellation);
        return Results.NoContent();
    }
}
