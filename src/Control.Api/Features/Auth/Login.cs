using Control.Api.Auth;
using Control.Api.Features.TwoFactor;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using FluentValidation;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Control.Api.Features.Auth;

public static class LoginEndpoint
{
    public sealed class Validator : AbstractValidator<LoginRequest>
    {
        public Validator()
        {
            RuleFor(x => x.Organization).OrganizationSlug();
            RuleFor(x => x.Username).NotEmpty().MaximumLength(64).WithMessage("A username is required.");
            RuleFor(x => x.Password).Password();
            RuleFor(x => x.TotpCode).MaximumLength(16);
            RuleFor(x => x.RecoveryCode).MaximumLength(32);
        }
    }

    [AllowAnonymous]
    [EnableRateLimiting(RateLimits.SignIn)]
    [WolverinePost("/auth/login")]
    public static Task<IResult> Post(
        LoginRequest request, IDocumentStore store, Passwords passwords, SecretProtector protector, TokenService tokens, TimeProvider clock,
        HttpContext http, CancellationToken cancellation) =>
        SignIn(request, store, passwords, protector, clock, http, (account, session) => Task.FromResult(Results.Ok(tokens.Issue(account, session))), cancellation);

    /// <summary>
    /// The one sign-in (password, lockout, second factor, its events) of the CLI and the portal: on success,
    /// <paramref name="signedIn"/> creates the credential (tokens, or a portal session) in the same transaction.
    /// </summary>
    public static async Task<IResult> SignIn(
        LoginRequest request, IDocumentStore store, Passwords passwords, SecretProtector protector, TimeProvider clock, HttpContext http,
        Func<Operator, IDocumentSession, Task<IResult>> signedIn, CancellationToken cancellation)
    {
        // Two sign-ins racing with the same TOTP code: the loser re-decides on fresh state and sees the code as used.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TrySignIn(request, store, passwords, protector, clock.GetUtcNow(), http, signedIn, cancellation);
            }
            catch (ConcurrencyException) when (attempt < 2)
            {
            }
        }
    }

    private static async Task<IResult> TrySignIn(
        LoginRequest request, IDocumentStore store, Passwords passwords, SecretProtector protector, DateTimeOffset now, HttpContext http,
        Func<Operator, IDocumentSession, Task<IResult>> signedIn, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(request.Organization!);
        var username = request.Username!.Trim().ToLowerInvariant();
        var account = await session.Query<Operator>().FirstOrDefaultAsync(x => x.Username == username, cancellation);
        var passwordMatches = passwords.Verify(account?.PasswordHash, request.Password!);
        if (account is null)
        {
            return Rejected(SignInRejection.InvalidCredentials);
        }

        var stream = await session.Events.FetchForWriting<Operator>(account.Id, cancellation);
        account = stream.Aggregate!;
        var secret = account.TwoFactor is { Enabled: true, ProtectedSecret: { } protectedSecret }
            ? protector.Unprotect(protectedSecret, TwoFactorSecrets.Purpose(account.Id))
            : null;
        var result = OperatorDecider.Decide(
            new SignIn(passwordMatches, request.TotpCode, request.RecoveryCode, secret, AuditMetadata.SourceAddress(http)), account, now);

        session.RecordAs(Actor.Operator(account.Id, account.Username, account.OrganizationSlug), null, http);
        stream.AppendMany(result.Events.ToArray());
        if (!result.Succeeded)
        {
            await session.SaveChangesAsync(cancellation);
            return Rejected(result.Rejection!.Value);
        }

        var response = await signedIn(result.Events.Aggregate(account, (state, e) => Operator.Evolve(state, e)!), session);
        await session.SaveChangesAsync(cancellation);
        return response;
    }

    private static IResult Rejected(SignInRejection why)
    {
        var (code, detail) = why switch
        {
            SignInRejection.SecondFactorRequired => (SignInProblemCodes.SecondFactorRequired, "Enter the code from your authenticator app (or a recovery code)."),
            SignInRejection.InvalidSecondFactor => (SignInProblemCodes.InvalidSecondFactor, "The second-factor code is wrong, expired or already used."),
            _ => (SignInProblemCodes.InvalidCredentials, "The organization, username or password is wrong, or the account cannot sign in now."),
        };
        return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed.", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });
    }
}
