using Control.Domain.Contracts;

namespace Control.Agent.Policies;

internal static class PolicySummary
{
    /// <summary><c>acl on: 2 entries, unattended off, 2fa off</c>: the settings that decide who gets in.</summary>
    public static string Describe(ClientPolicy policy)
    {
        if (policy.Removed)
        {
            return "client removed: every session is refused";
        }

        var acl = policy.Acl.Enabled ? $"acl on: {Count(policy.Acl.Entries.Count, "entry", "entries")}" : "acl off";
        var unattended = !policy.Unattended.Enabled ? "unattended off" : policy.Unattended.Exclusive ? "unattended on (exclusive)" : "unattended on";
        var twoFactor = policy.TwoFactor.Enabled ? "2fa on" : "2fa off";
        return $"{acl}, {unattended}, {twoFactor}, {Sessions(policy)}";
    }

    /// <summary><c>justification optional, shells recorded</c>: how sessions run.</summary>
    public static string Sessions(ClientPolicy policy) =>
        $"justification {(policy.Sessions.RequireJustification ? "required" : "optional")}, shells {(policy.Sessions.RecordShellSessions ? "recorded" : "not recorded")}";

    public static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
