namespace Control.Domain.Contracts;

// The policy document an agent enforces. Its canonical JSON (Control.Domain.Security.CanonicalJson, camelCase) is
// what the organization's policy key signs; the agent verifies the signature with the key it pinned at enrolment.

public sealed record PolicyAcl(bool Enabled, IReadOnlyList<string> Entries);

public sealed record PolicyScramVerifier(string Salt, int Iterations, string StoredKey, string ServerKey);

public sealed record PolicyUnattended(bool Enabled, bool Exclusive, PolicyScramVerifier? Verifier);

/// <summary>TOTP for unattended access. The seed is encrypted to the agent's own key (ECIES, see PolicySecrets).</summary>
public sealed record PolicyTwoFactor(bool Enabled, string Algorithm, int Digits, int PeriodSeconds, string? EncryptedSecret);

public sealed record PolicyPermissions(bool Exec, bool Shell, bool FileTransfer);

/// <summary>The organization's session settings: whether a viewer must say why it connects, whether shells are recorded.</summary>
public sealed record PolicySessionSettings(bool RequireJustification, bool RecordShellSessions);

/// <param name="TerminatedSessions">Sessions an operator ended: the agent ends any of them still live (latest ids only, see ClientDecider).</param>
/// <param name="RevokedTokenIds">Remember-tokens of the current epoch revoked one by one (a new epoch voids them all, so it empties this list).</param>
public sealed record ClientPolicy(
    string Schema,
    string Organization,
    Guid ClientId,
    string ClientNumber,
    string? Alias,
    bool Licensed,
    bool Removed,
    PolicyAcl Acl,
    PolicyUnattended Unattended,
    long TokenEpoch,
    PolicyTwoFactor TwoFactor,
    PolicyPermissions Permissions,
    string? ViewerCa,
    IReadOnlyList<string> RevokedViewerSerials,
    IReadOnlyList<Guid> TerminatedSessions,
    IReadOnlyList<string> RevokedTokenIds,
    PolicySessionSettings Sessions,
    long Version,
    string IssuedAt)
{
    public const string CurrentSchema = "control.policy/v1";
}

/// <summary>What <c>GET /agent/policy</c> returns: the policy, and an ECDSA P-256 / SHA-256 signature (IEEE P1363, base64) over its canonical JSON.</summary>
public sealed record SignedPolicy(ClientPolicy Policy, string Signature, string KeyId);

public sealed record EnrollRequest(string? Token, string? PublicKey, string? Alias, string? Hostname);

/// <param name="Credential">The agent's API credential, shown only now; the server keeps its hash.</param>
/// <param name="PolicyPublicKey">The organization's policy-signing key (SPKI, base64): the agent pins it.</param>
public sealed record EnrollResponse(
    Guid ClientId, string ClientNumber, string Organization, string? Alias, string Credential, string PolicyPublicKey, string KeyFingerprint);

/// <summary>The agent reports the policy version it now enforces, signed with its enrolment key over "ack:{clientId}:{version}".</summary>
public sealed record PolicyAcknowledgement(long Version, string Signature);
