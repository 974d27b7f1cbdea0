using System.Text.Json;
using Control.Agent.Policies;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Storage;

/// <summary>The last valid policy, kept on disk so it stays in force while the API is unreachable and across restarts.</summary>
internal static class PolicyCache
{
    private static readonly JsonSerializerOptions Indented = new(PolicySignature.Json) { WriteIndented = true };

    public static void Write(StateDirectory state, SignedPolicy signed) =>
        PrivateFile.WriteAtomically(state.PolicyFile, JsonSerializer.SerializeToUtf8Bytes(signed, Indented));

    /// <summary>
    /// The cached policy, verified again against the pinned key: anyone who could write the file could otherwise
    /// loosen the policy in force. A file that fails the check is reported, never used.
    /// </summary>
    public static CachedPolicy Read(StateDirectory state, Enrolment enrolment)
    {
        SignedPolicy? signed;
        try
        {
            signed = PrivateFile.ReadJson<SignedPolicy>(state.PolicyFile, PolicySignature.Json);
        }
        catch (JsonException)
        {
            return CachedPolicy.Refused("it is not a signed policy document (tampered or corrupt)");
        }

        if (signed is null)
        {
            return CachedPolicy.None;
        }

        if (signed.Client is null && signed.Organization is null && IsSingleDocumentFormat(state))
        {
            // Written by a release before the policy had two signed parts: not enforceable here, but not tampered either.
            return CachedPolicy.Refused("it is a one-document policy of an older release (control.policy/v1); the server's next policy replaces it");
        }

        return PolicyGate.Authenticate(signed, enrolment) is { } refusal
            ? CachedPolicy.Refused($"{refusal} (tampered or corrupt)")
            : new CachedPolicy(signed, null);
    }

    private static bool IsSingleDocumentFormat(StateDirectory state)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(state.PolicyFile));
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("policy", out _) && document.RootElement.TryGetProperty("signature", out _);
    }
}

/// <summary>Either a verified policy, or why the file was refused, or neither (no policy fetched yet).</summary>
internal sealed record CachedPolicy(SignedPolicy? Signed, string? Refusal)
{
    public static CachedPolicy None { get; } = new(null, null);

    public static CachedPolicy Refused(string why) => new(null, why);
}
