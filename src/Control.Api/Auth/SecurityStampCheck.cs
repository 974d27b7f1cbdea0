using System.Globalization;
using Control.Domain.Operators;
using Marten;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Control.Api.Auth;

/// <summary>
/// On every authenticated request, the token's (or portal session's) security stamp must equal the operator's current
/// one and the account must be active. The check reads PostgreSQL, so a disable or reset on any API process kills the
/// token on the very next request everywhere, not at expiry.
/// </summary>
public static class SecurityStampCheck
{
    public static async Task OnTokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (!Guid.TryParse(principal.FindFirst(ControlClaims.Subject)?.Value, out var operatorId)
            || principal.FindFirst(ControlClaims.Organization)?.Value is not { Length: > 0 } organization
            || !int.TryParse(principal.FindFirst(ControlClaims.SecurityStamp)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            context.Fail("Token without the expected claims.");
            return;
        }

        var store = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession(organization);
        if (await CurrentAccount(session, operatorId, stamp, context.HttpContext.RequestAborted) is null)
        {
            context.Fail("The token was revoked.");
        }
    }

    /// <summary>The operator, when the account is active and still has the stamp the credential was issued under.</summary>
    public static async Task<Operator?> CurrentAccount(IQuerySession session, Guid operatorId, int stamp, CancellationToken cancellation)
    {
        var account = await session.LoadAsync<Operator>(operatorId, cancellation);
        return account is { Status: OperatorStatus.Active } && account.SecurityStamp == stamp ? account : null;
    }
}
