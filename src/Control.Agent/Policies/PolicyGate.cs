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
    /// <param name="verified">A policy verified before (the one in force): a part identical to its part is not verified again.</param>
    public static string? Authenticate(SignedPolicy? signed, Enrolment enrolment, SignedPolicy? verified = null)
    {
        if (signed?.Client?.Policy is null || signed.Organization?.Policy is null
            || string.IsNullOrEmpty(signed.Client.Signature) || string.IsNullOrEmpty(signed.Organization.Signature))
        {
            return "it is not signed";
        }

        // JSON leaves an absent member null whatever the record says; a signed but incomplete document is a server bug
        // that must not crash enforcement later.
        if (!signed.IsComplete)
        {
            return "it is incomplete (required members are missing)";
        }

        if (!SignatureValid(signed, enrolment.PolicyPublicKey, verified))
        {
            return "its signature does not verify with the pinned policy key";
        }

        var (client, organization) = (signed.Client.Policy, signed.Organization.Policy);
        foreach (var schema in new[] { client.Schema, organization.Schema })
        {
            if (schema != ClientPolicy.CurrentSchema)
            {
                return $"its schema '{schema}' is not {ClientPolicy.CurrentSchema} (this agent is too old for it)";
            }
        }

        if (client.ClientId != enrolment.ClientId)
        {
            return $"it is for client {client.ClientId}, not this client ({enrolment.ClientId})";
        }

        // The signature check has made sure both parts name the same organization.
        return string.Equals(client.Organization, enrolment.Organization, StringComparison.Ordinal)
            ? null
            : $"it is for organization '{client.Organization}', not '{enrolment.Organization}'";
    }

    /// <summary>
    /// As <see cref="Authenticate"/>, and strictly newer than the policy in force, part by part: neither part may be older
    /// than the one in force, or a newer client part could carry an older organization part (a revoked viewer
    /// certificate or a removed organization entry back in force) while the sum still grows.
    /// </summary>
    public static string? Admit(SignedPolicy? signed, Enrolment enrolment, SignedPolicy? inForce)
    {
        if (Authenticate(signed, enrolment, inForce) is { } refusal)
        {
            return refusal;
        }

        if (inForce is null)
        {
            return null;
        }

        var (client, organization) = (signed!.Client.Policy.Revision, signed.Organization.Policy.Revision);
        if (client < inForce.Client.Policy.Revision)
        {
            return $"its client part r{client} is older than r{inForce.Client.Policy.Revision} in force (replayed or rolled back)";
        }

        if (organization < inForce.Organization.Policy.Revision)
        {
            return $"its organization part r{organization} is older than r{inForce.Organization.Policy.Revision} in force (replayed or rolled back)";
        }

        var (version, current) = (signed.Policy.Version, inForce.Policy.Version);
        return version <= current ? $"its version {version} is not newer than v{current} in force (replayed or rolled back)" : null;
    }

    private static bool SignatureValid(SignedPolicy signed, string pinnedKey, SignedPolicy? verified)
    {
        try
        {
            using var key = PolicySignature.ImportPublicKey(pinnedKey);
            return PolicySignature.Verify(signed, key, verified);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
