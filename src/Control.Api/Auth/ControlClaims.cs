using System.Security.Claims;
using Control.Domain.Common;
using Control.Domain.Operators;

namespace Control.Api.Auth;

public static class ControlClaims
{
    public const string Subject = "sub";
    public const string Organization = "org";
    public const string Username = "name";
    public const string Role = "role";
    public const string SecurityStamp = "stamp";

    public static Guid OperatorId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(Subject)!);

    public static string OrganizationSlug(this ClaimsPrincipal user) => user.FindFirstValue(Organization)!;

    public static OperatorRole OperatorRole(this ClaimsPrincipal user) =>
        OperatorRoles.TryParse(user.FindFirstValue(Role), out var role) ? role : throw new InvalidOperationException("Token without a valid role.");

    public static Actor Actor(this ClaimsPrincipal user) =>
        Domain.Common.Actor.Operator(user.OperatorId(), user.FindFirstValue(Username)!, user.OrganizationSlug());
}
