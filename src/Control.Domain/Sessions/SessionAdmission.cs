using Control.Domain.Access;
using Control.Domain.Contracts;

namespace Control.Domain.Sessions;

/// <summary>What let a viewer in besides its certificate and the ACL.</summary>
public enum AdmissionMethod
{
    /// <summary>The unattended password (SCRAM-SHA-256).</summary>
    UnattendedPassword,
    /// <summary>A remember-token issued after an earlier password login.</summary>
    RememberToken,
    /// <summary>The person at the machine accepted (attended mode).</summary>
    Attended,
}

/// <summary>
/// Why a session was admitted, as far as later policies can take that reason away: every new policy re-checks each live
/// session against it (<see cref="SessionAdmission.Recheck"/>), and a session whose reason no longer holds ends.
/// </summary>
/// <param name="SessionId">The session's id: an operator may end it by listing it in the policy.</param>
/// <param name="ViewerAlias">The alias the viewer's certificate names (verified in the TLS handshake).</param>
/// <param name="CertificateSerial">Its serial: a later revocation ends the session.</param>
/// <param name="TokenEpoch">For a session admitted by a remember-token: the epoch it was issued under ("clear all tokens" ends it).</param>
/// <param name="RememberTokenId">For a session admitted by a remember-token: its id (revoking that token ends it).</param>
/// <param name="AdmittedBy">How the viewer got in: exclusive mode, a password rotation or unattended access turned off each end some ways and not others.</param>
/// <param name="PasswordStoredKey">For a session admitted by the password: the StoredKey of the verifier it matched (a rotation changes it).</param>
/// <param name="SecondFactor">Whether a TOTP code was given: turning two-factor on ends sessions that would now need one and gave none.</param>
/// <param name="Login">The local account the session runs as: it ends when the policy no longer permits it.</param>
public sealed record SessionGrant(
    Guid SessionId, string ViewerAlias, string CertificateSerial, long? TokenEpoch, string? RememberTokenId,
    AdmissionMethod AdmittedBy, string? PasswordStoredKey, bool SecondFactor, string Login);

public enum SessionChannel
{
    Exec,
    Shell,
    FileTransfer,
}

/// <summary>
/// The policy checks of a session that do not need the viewer's secrets: before authentication (is this client
/// accepting sessions, does the ACL admit this alias) and again on every new policy for each live session.
/// </summary>
public static class SessionAdmission
{
    /// <summary>Whether the organization wants a justification and the viewer gave none (blank counts as none).</summary>
    public static bool LacksJustification(ClientPolicy policy, string? justification) =>
        policy.Sessions.RequireJustification && string.IsNullOrWhiteSpace(justification);

    /// <summary>Why the policy refuses a viewer with this alias before any password is asked, or null.</summary>
    public static string? Admit(ClientPolicy? policy, string viewerAlias)
    {
        if (policy is null)
        {
            return "this client has no policy yet";
        }

        if (policy.Removed)
        {
            return "this client was removed from its organization";
        }

        if (policy.Acl.Enabled && !policy.Acl.Entries.Any(entry => Matches(entry, viewerAlias)))
        {
            return $"{viewerAlias} is not on the access control list";
        }

        return null;
    }

    /// <summary>What a session ended by an operator is told (the operator's reason stays in the audit trail).</summary>
    public const string EndedByOperator = "ended by an operator";

    /// <summary>What a viewer without a justification is told when the organization requires one (it reveals nothing else).</summary>
    public const string JustificationRequired = "a justification is required (control connect|exec|shell|cp ... --reason TEXT)";

    /// <summary>Why a live session no longer qualifies under a new policy (it must end), or null.</summary>
    public static string? Recheck(ClientPolicy policy, SessionGrant grant, IReadOnlyCollection<SessionChannel> openChannels)
    {
        if (policy.TerminatedSessions.Contains(grant.SessionId))
        {
            return EndedByOperator;
        }

        if (Admit(policy, grant.ViewerAlias) is { } refusal)
        {
            return refusal;
        }

        if (policy.RevokedViewerSerials.Contains(grant.CertificateSerial, StringComparer.OrdinalIgnoreCase))
        {
            return $"the viewer certificate {grant.CertificateSerial} was revoked";
        }

        if (grant.TokenEpoch is { } epoch && epoch != policy.TokenEpoch)
        {
            return "the remember-token this session used was cleared";
        }

        if (grant.RememberTokenId is { } tokenId && policy.RevokedTokenIds.Contains(tokenId, StringComparer.Ordinal))
        {
            return $"the remember-token {tokenId} this session used was revoked";
        }

        if (AdmissionWithdrawn(policy, grant) is { } withdrawn)
        {
            return withdrawn;
        }

        if (!policy.Permissions.Logins.Contains(grant.Login, StringComparer.Ordinal))
        {
            return $"the login {grant.Login} is no longer permitted on this client";
        }

        foreach (var channel in openChannels)
        {
            if (!Permits(policy, channel))
            {
                return $"the {Name(channel)} channel is no longer permitted";
            }
        }

        return null;
    }

    /// <summary>Why the way this session was admitted would not admit it under <paramref name="policy"/>, or null.</summary>
    private static string? AdmissionWithdrawn(ClientPolicy policy, SessionGrant grant)
    {
        var unattended = policy.Unattended;
        if (grant.AdmittedBy is AdmissionMethod.UnattendedPassword or AdmissionMethod.RememberToken && (!unattended.Enabled || unattended.Verifier is null))
        {
            return "unattended access was turned off";
        }

        if (grant.AdmittedBy == AdmissionMethod.UnattendedPassword
            && !string.Equals(unattended.Verifier!.StoredKey, grant.PasswordStoredKey, StringComparison.Ordinal))
        {
            return "the unattended password this session used was changed";
        }

        // Exclusive unattended access: the password is the only way in (no remember-token, no acceptance at the machine).
        if (unattended is { Enabled: true, Exclusive: true } && grant.AdmittedBy != AdmissionMethod.UnattendedPassword)
        {
            return "exclusive unattended access was turned on";
        }

        // Someone at the machine accepting is its own second factor: only unattended ways in need a code.
        if (policy.TwoFactor.Enabled && !grant.SecondFactor && grant.AdmittedBy != AdmissionMethod.Attended)
        {
            return "two-factor authentication was turned on";
        }

        return null;
    }

    public static bool Permits(ClientPolicy policy, SessionChannel channel) => channel switch
    {
        SessionChannel.Exec => policy.Permissions.Exec,
        SessionChannel.Shell => policy.Permissions.Shell,
        SessionChannel.FileTransfer => policy.Permissions.FileTransfer,
        _ => false,
    };

    public static string Name(SessionChannel channel) => channel switch
    {
        SessionChannel.Exec => "exec",
        SessionChannel.Shell => "shell",
        SessionChannel.FileTransfer => "file transfer",
        _ => channel.ToString(),
    };

    private static bool Matches(string entry, string alias) => AclEntry.TryParse(entry, out var parsed, out _) && parsed.Matches(alias);
}
