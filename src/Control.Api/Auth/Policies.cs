using Control.Domain.Operators;
using Microsoft.AspNetCore.Authorization;

namespace Control.Api.Auth;

/// <summary>Every endpoint names one of these (or is explicitly anonymous); a test checks that none is left without.</summary>
public static class Policies
{
    /// <summary>The authentication scheme of operator policies: a bearer token (CLI) or the portal's session cookie, never an agent's credential.</summary>
    public const string OperatorScheme = "operator";

    public const string AnyOperator = "any-operator";
    public const string ManageOperators = "manage-operators";
    public const string ReadOperators = "read-operators";
    public const string ReadAudit = "read-audit";
    public const string CreateOrganizations = "create-organizations";
    public const string ManageClients = "manage-clients";
    public const string ReadClients = "read-clients";
    public const string ManageLicense = "manage-license";

    /// <summary>Session history and live sessions (who connected where, when, how).</summary>
    public const string ReadSessions = "read-sessions";

    /// <summary>Ending someone's live session: a security action, like changing a client's settings.</summary>
    public const string EndSessions = "end-sessions";

    /// <summary>Organization-wide session settings (justification required, shell recording).</summary>
    public const string ManageSessionSettings = "manage-session-settings";

    /// <summary>Looking up where a client accepts sessions (the people who connect to clients).</summary>
    public const string UseDirectory = "use-directory";

    /// <summary>HR records of employees: add, link accounts, identities and clients (HR may do this; it may not edit ACLs).</summary>
    public const string ManagePeople = "manage-people";

    public const string ReadPeople = "read-people";

    /// <summary>Recording that a person knows a secret Control never showed them (a shared account's password): admins only.</summary>
    public const string RecordKnowledge = "record-knowledge";

    /// <summary>Starting, cancelling and reading offboardings.</summary>
    public const string Offboard = "offboard";

    /// <summary>The access review: who can reach a client, what a person can reach.</summary>
    public const string ReadAccess = "read-access";

    /// <summary>An enrolled agent (credential from enrolment), including a removed one asking for its tombstone.</summary>
    public const string Agent = "agent";

    /// <summary>An enrolled agent whose client is not removed: what writes session facts and recordings.</summary>
    public const string ActiveAgent = "active-agent";

    public static void Configure(AuthorizationOptions options)
    {
        options.AddPolicy(AnyOperator, p => p.AddAuthenticationSchemes(OperatorScheme).RequireAuthenticatedUser());
        options.AddPolicy(ManageOperators, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(ReadOperators, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Hr));
        options.AddPolicy(ReadAudit, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor));
        options.AddPolicy(CreateOrganizations, p => Roles(p, OperatorRole.Owner));
        options.AddPolicy(ManageClients, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(ReadClients, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Technician));
        options.AddPolicy(ReadSessions, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Technician));
        options.AddPolicy(EndSessions, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(ManageSessionSettings, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(ManageLicense, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(UseDirectory, p => Roles(p, [.. OperatorRoles.SessionRoles]));
        options.AddPolicy(ManagePeople, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Hr));
        options.AddPolicy(ReadPeople, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Hr));
        options.AddPolicy(RecordKnowledge, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin));
        options.AddPolicy(Offboard, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Hr));
        options.AddPolicy(ReadAccess, p => Roles(p, OperatorRole.Owner, OperatorRole.SecurityAdmin, OperatorRole.Auditor, OperatorRole.Hr));
        options.AddPolicy(Agent, p => p.AddAuthenticationSchemes(AgentAuthentication.SchemeName).RequireClaim(ControlClaims.Role, AgentAuthentication.AgentRole));
        options.AddPolicy(ActiveAgent, p => p.AddAuthenticationSchemes(AgentAuthentication.SchemeName)
            .RequireClaim(ControlClaims.Role, AgentAuthentication.AgentRole)
            .RequireAssertion(c => !c.User.HasClaim(AgentAuthentication.RemovedClaim, "true")));

        // Deny by default: an endpoint that forgot its policy still requires a signed-in operator.
        options.FallbackPolicy = options.GetPolicy(AnyOperator);
    }

    /// <summary>The operator policies, for a client that shows only what its user may do (GET /portal/session).</summary>
    public static IReadOnlyList<string> OperatorPolicies { get; } =
    [
        ManageOperators, ReadOperators, ReadAudit, CreateOrganizations, ManageClients, ReadClients, ReadSessions, EndSessions,
        ManageSessionSettings, ManageLicense, UseDirectory, ManagePeople, ReadPeople, RecordKnowledge, Offboard, ReadAccess,
    ];

    // Operator policies accept only the operator scheme, so an agent credential never passes as an operator.
    private static void Roles(AuthorizationPolicyBuilder policy, params OperatorRole[] roles) =>
        policy.AddAuthenticationSchemes(OperatorScheme).RequireAuthenticatedUser().RequireClaim(ControlClaims.Role, roles.Select(r => r.ToName()));
}
