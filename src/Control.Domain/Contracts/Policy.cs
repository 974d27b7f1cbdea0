namespace Control.Domain.Contracts;

// The policy an agent enforces comes in two signed parts: the client's own (ClientPolicyPart) and its organization's
// (OrganizationPolicyPart), each signed over its canonical JSON (Control.Domain.Security.CanonicalJson, camelCase) with
// the organization's policy key; the agent verifies both with the key it pinned at enrolment and enforces their
// combination (ClientPolicy, see PolicyComposer.Combine). An organization-wide change (an organization ACL entry, a
// revoked viewer certificate, the session settings) re-signs one organization part for all of its clients, not one
// document per client; a client's change re-signs that client's part only.

public sealed record PolicyAcl(bool Enabled, IReadOnlyList<string> Entries);

public sealed record PolicyScramVerifier(string Salt, int Iterations, string StoredKey, string ServerKey);

public sealed record PolicyUnattended(bool Enabled, bool Exclusive, PolicyScramVerifier? Verifier);

/// <summary>TOTP for unattended access. The seed is encrypted to the agent's own key (ECIES, see PolicySecrets).</summary>
public sealed record PolicyTwoFactor(bool Enabled, string Algorithm, int Digits, int PeriodSeconds, string? EncryptedSecret);

/// <param name="Logins">The local accounts a session may run as, the default first; root only where named.</param>
public sealed record PolicyPermissions(bool Exec, bool Shell, bool FileTransfer, IReadOnlyList<string> Logins);

/// <summary>The organization's session settings: whether a viewer must say why it connects, whether shells are recorded.</summary>
public sealed record PolicySessionSettings(bool RequireJustification, bool RecordShellSessions);

/// <summary>
/// The policy in force on a client: its two signed parts combined (PolicyComposer.Combine). Never signed or sent as such.
/// </summary>
/// <param name="Schema">The schema of its parts (<see cref="CurrentSchema"/>).</param>
/// <param name="TerminatedSessions">Sessions an operator ended: the agent ends any of them still live (latest ids only, see ClientDecider).</param>
/// <param name="RevokedTokenIds">Remember-tokens of the current epoch revoked one by one (a new epoch voids them all, so it empties this list).</param>
/// <param name="Version">The client part's revision plus the organization part's: it grows with every change of either.</param>
/// <param name="IssuedAt">When the later of the two parts was issued.</param>
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
    public const string CurrentSchema = "control.policy/v3";
}

/// <summary>What a client contributes to its policy: identity, its own ACL entries and settings.</summary>
/// <param name="Licensed">The client holds a license of its organization (the organization's own license is in its part).</param>
/// <param name="Acl">Enabled, and the client's own entries (the organization's are added when the parts are combined).</param>
/// <param name="Revision">Counts the client's policy-relevant changes; never goes down.</param>
public sealed record ClientPolicyPart(
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
    IReadOnlyList<Guid> TerminatedSessions,
    IReadOnlyList<string> RevokedTokenIds,
    long Revision,
    string IssuedAt);

/// <summary>What an organization contributes to every one of its clients' policies.</summary>
/// <param name="AclEntries">Entries every client admits in addition to its own.</param>
/// <param name="Revision">Counts the organization's policy-relevant changes; never goes down.</param>
public sealed record OrganizationPolicyPart(
    string Schema,
    string Organization,
    bool Licensed,
    IReadOnlyList<string> AclEntries,
    string? ViewerCa,
    IReadOnlyList<string> RevokedViewerSerials,
    PolicySessionSettings Sessions,
    long Revision,
    string IssuedAt);

/// <summary>One part and its ECDSA P-256 / SHA-256 signature (IEEE P1363, base64) over the part's canonical JSON.</summary>
public sealed record SignedPolicyPart<T>(T Policy, string Signature, string KeyId)
    where T : class;

/// <summary>
/// What <c>GET /agent/policy</c> returns: the client's part and the organization's, each signed. <see cref="Policy"/> is
/// their combination, which is what the agent enforces once both signatures verify (see PolicySignature.Verify).
/// </summary>
public sealed class SignedPolicy(SignedPolicyPart<ClientPolicyPart> client, SignedPolicyPart<OrganizationPolicyPart> organization)
{
    private ClientPolicy? _policy;

    public SignedPolicyPart<ClientPolicyPart> Client { get; } = client;

    public SignedPolicyPart<OrganizationPolicyPart> Organization { get; } = organization;

    /// <summary>The combined policy (computed once). Read it only when <see cref="IsComplete"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ClientPolicy Policy => _policy ??= Clients.PolicyComposer.Combine(Client.Policy, Organization.Policy);

    /// <summary>
    /// Whether every member is present. JSON leaves an absent member null whatever the record says: a document missing one
    /// is refused (signed or not), never allowed to crash enforcement later.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsComplete =>
        Client is { Policy: { } c, Signature: not null, KeyId: not null } && Organization is { Policy: { } o, Signature: not null, KeyId: not null }
        && c is { Schema: not null, Organization: not null, ClientNumber: not null, Acl.Entries: not null, Unattended: not null, TwoFactor: not null,
            Permissions.Logins: not null, TerminatedSessions: not null, RevokedTokenIds: not null, IssuedAt: not null }
        && o is { Schema: not null, Organization: not null, AclEntries: not null, RevokedViewerSerials: not null, Sessions: not null, IssuedAt: not null };
}

public sealed record EnrollRequest(string? Token, string? PublicKey, string? Alias, string? Hostname);

/// <param name="Credential">The agent's API credential, shown only now; the server keeps its hash.</param>
/// <param name="PolicyPublicKey">The organization's policy-signing key (SPKI, base64): the agent pins it.</param>
public sealed record EnrollResponse(
    Guid ClientId, string ClientNumber, string Organization, string? Alias, string Credential, string PolicyPublicKey, string KeyFingerprint);

/// <summary>
/// The agent's receipt for the policy it now enforces: the two parts' revisions and SHA-256 digests (of their canonical JSON),
/// signed with its enrolment key (see Control.Domain.Security.PolicyReceipts).
/// </summary>
/// <param name="Version">The policy's version: the sum of the two revisions.</param>
public sealed record PolicyAcknowledgement(
    long Version, long ClientRevision, long OrganizationRevision, string ClientDigest, string OrganizationDigest, string Signature)
{
    /// <summary>
    /// The receipt rides on the agent's next policy request, which it makes at once anyway: header
    /// <c>Control-Receipt: VERSION CLIENT-REVISION ORGANIZATION-REVISION CLIENT-SHA256 ORGANIZATION-SHA256 SIGNATURE</c>. No
    /// request of its own, so a fleet's receipts cost the API nothing extra in the second it hands a change to every agent.
    /// </summary>
    public const string Header = "Control-Receipt";

    public string HeaderValue => FormattableString.Invariant(
        $"{Version} {ClientRevision} {OrganizationRevision} {ClientDigest} {OrganizationDigest} {Signature}");

    /// <summary>
    /// Reads a <see cref="Header"/> value: three non-negative numbers of which the first is the sum of the others, two
    /// lowercase hex SHA-256 digests, a base64 signature of 64 bytes (P1363), one space apart.
    /// </summary>
    public static bool TryParseHeader(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PolicyAcknowledgement? receipt)
    {
        receipt = null;
        var parts = value?.Split(' ') ?? [];
        if (parts.Length != 6 || !Number(parts[0], out var version) || version <= 0 || !Number(parts[1], out var client) || !Number(parts[2], out var organization)
            || client + organization != version || !IsDigest(parts[3]) || !IsDigest(parts[4]) || parts[5].Length != 88)
        {
            return false;
        }

        Span<byte> signature = stackalloc byte[66];
        if (!Convert.TryFromBase64String(parts[5], signature, out var length) || length != 64)
        {
            return false;
        }

        receipt = new PolicyAcknowledgement(version, client, organization, parts[3], parts[4], parts[5]);
        return true;
    }

    private static bool Number(string text, out long value) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value < long.MaxValue / 2;

    private static bool IsDigest(string text) => text.Length == 64 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
