using Control.Domain.Access;
using Control.Domain.Contracts;

namespace Control.Domain.Sessions;

/// <summary>How a session was authenticated, as far as later policies can invalidate it.</summary>
/// <param name="ViewerAlias">The alias the viewer's certificate names (verified in the TLS handshake).</param>
/// <param name="CertificateSerial">Its serial: a later revocation ends the session.</param>
/// <param name="TokenEpoch">For a session admitted by a remember-token: the epoch it was issued under ("clear all tokens" ends it).</param>
public sealed record SessionGrant(string ViewerAlias, string CertificateSerial, long? TokenEpoch);

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

    /// <summary>Why a live session no longer qualifies under a new policy (it must end), or null.</summary>
    public static string? Recheck(ClientPolicy policy, SessionGrant grant, IReadOnlyCollection<SessionChannel> openChannels)
    {
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
