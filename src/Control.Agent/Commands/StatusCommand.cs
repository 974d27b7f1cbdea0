using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Control.Agent.Policies;
using Control.Agent.Storage;

namespace Control.Agent.Commands;

/// <summary>
/// <c>control-agent status</c>: who this client is, whether its agent is connected, and the policy in force, read from
/// the state directory (the daemon need not be running). The cached policy is verified again: a file that fails is
/// reported as tampered and the command exits 1.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var stateDirectory = AgentOptions.StateDirectory();
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON instead of a table." };
        var command = new Command("status", "Show this client's enrolment, connection state and the policy in force.") { stateDirectory, json };
        command.SetAction(parse =>
        {
            var state = StateDirectory.Resolve(parse.GetValue(stateDirectory));
            var enrolment = Enrolment.Load(state) ?? throw AgentFailure.NotEnrolled(state);
            var report = StatusReport.Build(enrolment, AgentStatus.Read(state), PolicyCache.Read(state, enrolment));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, AgentJson.Files));
            }
            else
            {
                Console.Write(Render(report, DateTimeOffset.UtcNow));
            }

            if (report.PolicyError is { } error)
            {
                Console.Error.WriteLine($"error: the cached policy {state.PolicyFile} is refused: {error}; it is not enforced (restart the agent to fetch a fresh one)");
                return ExitCodes.Failure;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Render(StatusReport report, DateTimeOffset now)
    {
        var rows = new List<(string Name, string Value)>
        {
            ("client", $"{report.ClientNumber} (id {report.ClientId})"),
            ("alias", report.Alias ?? "none"),
            ("organization", report.Organization),
            ("server", report.Server),
            ("key fingerprint", report.KeyFingerprint),
            ("policy key", $"{report.PolicyKeyFingerprint} (pinned at enrolment)"),
            ("enrolled", When(report.EnrolledAt, now)),
            ("agent", Agent(report.Agent, now)),
            ("last contact", report.Agent.LastContactAt is { } contact ? When(contact, now) : "never"),
            ("credential", report.Agent.CredentialRefused ? "REFUSED by the server (revoked or unknown): enrol again with --force" : "accepted"),
        };
        if (report.Agent.LastError is { } lastError)
        {
            rows.Add(("last error", $"{lastError} ({When(report.Agent.LastErrorAt, now)})"));
        }

        if (report.PolicyError is { } policyError)
        {
            rows.Add(("policy", $"REFUSED: the cached policy failed verification: {policyError}"));
        }
        else if (report.Policy is not { } policy)
        {
            rows.Add(("policy", "none yet (nothing is allowed until the agent fetches one)"));
        }
        else
        {
            rows.Add(("policy", $"v{policy.Version}, issued {policy.IssuedAt}, signature verified"
                + (report.Agent.AcknowledgedVersion is { } acknowledged ? $", receipt sent for v{acknowledged}" : ", no receipt sent yet")));
            rows.Add(("removed", policy.Removed ? "YES: every session is refused" : "no"));
            rows.Add(("licensed", YesNo(policy.Licensed)));
            rows.Add(("acl", policy.Acl.Enabled
                ? $"on: {(policy.Acl.Entries.Count == 0 ? "no entries (nobody)" : string.Join(", ", policy.Acl.Entries))}"
                : "off"));
            rows.Add(("unattended", policy.Unattended.Enabled
                ? $"on{(policy.Unattended.Exclusive ? ", exclusive" : "")}, password {(policy.Unattended.PasswordSet ? "set" : "not set")}"
                : "off"));
            rows.Add(("token epoch", $"{policy.TokenEpoch.ToString(CultureInfo.InvariantCulture)}, {PolicySummary.Count(policy.RevokedTokens, "token revoked", "tokens revoked")} one by one"));
            rows.Add(("2fa", policy.TwoFactor.Enabled
                ? $"on (TOTP {policy.TwoFactor.Algorithm}, {policy.TwoFactor.Digits} digits, {policy.TwoFactor.PeriodSeconds} s)"
                : "off"));
            rows.Add(("permissions", $"exec {YesNo(policy.Permissions.Exec)}, shell {YesNo(policy.Permissions.Shell)}, file transfer {YesNo(policy.Permissions.FileTransfer)}"));
            rows.Add(("sessions", $"justification {(policy.Sessions.RequireJustification ? "required" : "optional")}, shells {(policy.Sessions.RecordShellSessions ? "recorded" : "not recorded")}, "
                + PolicySummary.Count(policy.TerminatedSessions, "session ended by an operator", "sessions ended by an operator")));
            rows.Add(("viewer ca", $"{(policy.ViewerCaSet ? "set" : "none")}, {PolicySummary.Count(policy.RevokedViewerSerials, "revoked viewer serial", "revoked viewer serials")}"));
        }

        var width = rows.Max(r => r.Name.Length) + 2;
        return string.Concat(rows.Select(r => r.Name.PadRight(width) + r.Value + Environment.NewLine));
    }

    private static string Agent(AgentReport agent, DateTimeOffset now)
    {
        if (agent.State == AgentReport.NeverStarted)
        {
            return "never started (run control-agent run)";
        }

        var since = agent.Since is { } at ? $" since {When(at, now)}" : "";
        return agent.Running || agent.State == AgentStatus.Stopped
            ? $"{agent.State}{since}{(agent.Running ? $" (pid {agent.Pid})" : "")}"
            : $"not running (it last reported {agent.State}{since}; pid {agent.Pid} is gone)";
    }

    private static string When(DateTimeOffset? at, DateTimeOffset now)
    {
        if (at is not { } time)
        {
            return "unknown";
        }

        var age = now - time;
        var ago = age < TimeSpan.Zero ? "" : age.TotalSeconds < 90 ? $" ({age.TotalSeconds:0} s ago)" : age.TotalMinutes < 90 ? $" ({age.TotalMinutes:0} min ago)" : "";
        return time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) + ago;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
