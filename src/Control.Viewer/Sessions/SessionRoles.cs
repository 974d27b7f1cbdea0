using Control.Domain.Operators;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>Which roles open sessions: only they get a viewer certificate, so only they can connect to a client.</summary>
internal static class SessionRoles
{
    public static bool Opens(string role) => OperatorRoles.TryParse(role, out var parsed) && parsed.OpensSessions();

    /// <summary>The refusal of a session command for an account whose role opens none (before any request is made).</summary>
    public static CliException NotForRole(string role) => CliException.Failure(
        $"your role ({role}) opens no sessions: only {OperatorRoles.SessionRoleNames} get the viewer certificate a session needs");
}
