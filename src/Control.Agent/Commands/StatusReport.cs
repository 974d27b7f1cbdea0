using System.Diagnostics;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Commands;

/// <summary>What <c>control-agent status --json</c> prints: the enrolment, the agent's connection, and the policy in force.</summary>
internal sealed record StatusReport(
    Guid ClientId,
    string ClientNumber,
    string? Alias,
    string Organization,
    string Server,
    string KeyFingerprint,
    string PolicyKeyFingerprint,
    DateTimeOffset EnrolledAt,
    AgentReport Agent,
    PolicyReport? Policy,
    string? PolicyError)
{
    public static StatusReport Build(Enrolment enrolment, AgentStatus? status, CachedPolicy cached) => new(
        enrolment.ClientId,
        enrolment.ClientNumber,
        enrolment.Alias,
        enrolment.Organization,
        enrolment.Server,
        enrolment.KeyFingerprint,
        PolicySignature.Fingerprint(enrolment.PolicyPublicKey),
        enrolment.EnrolledAt,
        AgentReport.From(status),
        cached.Signed is { } signed ? PolicyReport.From(signed.Policy) : null,
        cached.Refusal);
}

/// <param name="State">online, offline, starting or stopped as the agent last wrote it; "never started" without a status file.</param>
/// <param name="Running">Whether the process that wrote the status is still alive (a crashed agent cannot say it went away).</param>
internal sealed record AgentReport(
    string State,
    bool Running,
    DateTimeOffset? Since,
    DateTimeOffset? LastContactAt,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    bool CredentialRefused,
    long? AcknowledgedVersion,
    int? Pid)
{
    public const string NeverStarted = "never started";

    public static AgentReport From(AgentStatus? status) => status is null
        ? new(NeverStarted, false, null, null, null, null, false, null, null)
        : new(status.State, status.State != AgentStatus.Stopped && IsAlive(status.Pid), status.Since, status.LastContactAt, status.LastError, status.LastErrorAt,
            status.CredentialRefused, status.AcknowledgedVersion, status.Pid);

    private static bool IsAlive(int? pid)
    {
        if (pid is not { } id)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}

internal sealed record PolicyReport(
    long Version,
    string IssuedAt,
    bool Removed,
    bool Licensed,
    AclReport Acl,
    UnattendedReport Unattended,
    long TokenEpoch,
    TwoFactorReport TwoFactor,
    PolicyPermissions Permissions,
    bool ViewerCaSet,
    int RevokedViewerSerials,
    PolicySessionSettings Sessions,
    int TerminatedSessions,
    int RevokedTokens)
{
    public static PolicyReport From(ClientPolicy policy) => new(
        policy.Version,
        policy.IssuedAt,
        policy.Removed,
        policy.Licensed,
        new AclReport(policy.Acl.Enabled, policy.Acl.Entries),
        new UnattendedReport(policy.Unattended.Enabled, policy.Unattended.Exclusive, policy.Unattended.Verifier is not null),
        policy.TokenEpoch,
        new TwoFactorReport(policy.TwoFactor.Enabled, policy.TwoFactor.Algorithm, policy.TwoFactor.Digits, policy.TwoFactor.PeriodSeconds),
        policy.Permissions,
        !string.IsNullOrEmpty(policy.ViewerCa),
        policy.RevokedViewerSerials.Count,
        policy.Sessions,
        policy.TerminatedSessions.Count,
        policy.RevokedTokenIds.Count);
}

internal sealed record AclReport(bool Enabled, IReadOnlyList<string> Entries);

internal sealed record UnattendedReport(bool Enabled, bool Exclusive, bool PasswordSet);

internal sealed record TwoFactorReport(bool Enabled, string Algorithm, int Digits, int PeriodSeconds);
