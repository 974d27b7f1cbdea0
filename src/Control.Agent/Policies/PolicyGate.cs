using System.Security.Cryptography;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Policies;

/// <summary>
/// What a policy must be before this client enforces it. Each check answers the threat it stops: an unsigned or
/// mis-signed document (a man in the middle, a compromised proxy or cache), a policy of another client or organization
/// (a valid signature replayed to the wrong machine), an older version (a rollback to looser rules).
/// </summary>
internal static class PolicyGate
{
    /// <summary>Why the document must not be enforced by this client, or null when it is authentic and meant for it.</summary>
    public static string? Authenticate(SignedPolicy? signed, Enrolment enrolment)
    {
        if (signed?.Policy is null || string.IsNullOrEmpty(signed.Signature))
        {
            return "it is not signed";
        }

        if (!SignatureValid(signed, enrolment.PolicyPublicKey))
        {
            return "its signature does not verify with the pinned policy key";
        }

        var policy = signed.Policy;
        if (policy.Schema != ClientPolicy.CurrentSchema)
        {
            return $"its schema '{policy.Schema}' is not {ClientPolicy.CurrentSchema} (this agent is too old for it)";
        }

        if (policy.ClientId != enrolment.ClientId)
        {
            return $"it is for client {policy.ClientId}, not this client ({enrolment.ClientId})";
        }

        if (!string.Equals(policy.Organization, enrolment.Organization, StringComparison.Ordinal))
        {
            return $"it is for organization '{policy.Organization}', not '{enrolment.Organization}'";
        }

        // JSON leaves an absent member null whatever the record says; a signed but incomplete document is a server bug
        // that must not crash enforcement later.
        if (policy.Acl?.Entries is null || policy.Unattended is null || policy.TwoFactor is null || policy.Permissions is null
            || policy.RevokedViewerSerials is null || policy.TerminatedSessions is null || policy.RevokedTokenIds is null || policy.Sessions is null
            || policy.IssuedAt is null)
        {
            return "it is incomplete (required members are missing)";
        }

        return null;
    }

    /// <summary>As <see cref="Authenticate"/>, and strictly newer than the version in force.</summary>
    public static string? Admit(SignedPolicy? signed, Enrolment enrolment, long? versionInForce)
    {
        if (Authenticate(signed, enrolment) is { } refusal)
        {
            return refusal;
        }

        var version = signed!.Policy.Version;
        return versionInForce is { } current && version <= current
            ? $"its version {version} is not newer than v{current} in force (replayed or rolled back)"
            : null;
    }

    private static bool SignatureValid(SignedPolicy signed, string pinnedKey)
    {
        try
        {
            return PolicySignature.Verify(signed, pinnedKey);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
