using Control.Domain.Operators;
using Microsoft.AspNetCore.Authorization;

namespace Control.Api.Auth;

/// <summary>Every endpoint names one of these (or is explicitly anonymous); a test checks that none is left without.</summary>
public static class Policies
{
    public const string AnyOperator = "any-operator";
    public const string ManageOperators = "manage-operators";
    public const string ReadOperators = "read-operators";
    public const string ReadAudit = "read-audit";
    public const string CreateOrganizations = "create-organizations";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(AnyOperator, p => p.RequireAuthenticatedUser());
        options.AddPolicy(ManageOperators, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(ReadOperators, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Hr));
        options.AddPolicy(ReadAudit, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor));
        options.AddPolicy(CreateOrganizations, p => Roles(p, OperatorRole.Owner));

        // Deny by default: an endpoint that forgot its policy still requires a signed-in operator.
        options.FallbackPolicy = options.GetPolicy(AnyOperator);
    }

    private static void Roles(AuthorizationPolicyBuilder policy, params OperatorRole[] roles) =>
        policy.RequireAuthenticatedUser().RequireClaim(ControlClaims.Role, roles.Select(r => r.ToName()));
}
