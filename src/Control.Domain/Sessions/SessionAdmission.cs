using Control.Domain.Access;
using Control.Domain.Contracts;

namespace Control.Domain.Sessions;

/// <summary>How a session was authenticated, as far as later policies can invalidate it.</summary>
/// <param name="SessionId">The session's id: an operator may end it by listing it in the policy.</param>
/// <param name="ViewerAlias">The alias the viewer's certificate names (verified in the TLS handshake).</param>
/// <param name="CertificateSerial">Its serial: a later revocation ends the session.</param>
/// <param name="TokenEpoch">For a session admitted by a remember-token: the epoch it was issued under ("clear all tokens" ends it).</param>
/// <param name="RememberTokenId">For a session admitted by a remember-token: its id (revoking that token ends it).</param>
public sealed record SessionGrant(Guid SessionId, string ViewerAlias, string CertificateSerial, long? TokenEpoch, string? RememberTokenId);

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

        foreach (var channel in openChannels)
        {
            if (!Permits(policy, channel))
            {
                return $"the {Name(channel)} channel is no longer permitted";
            }
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
