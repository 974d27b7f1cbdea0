namespace Control.Api.Hosting;

/// <summary>Settings under <c>Control:</c> (environment: <c>Control__Name</c>).</summary>
public sealed class ControlOptions
{
    public const string Section = "Control";

    /// <summary>Folder for local state such as the one-time bootstrap token (<c>.data</c> under <c>ops/up</c>).</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Base64 of 32 random bytes from which every server-side key is derived (token signing, secret encryption).</summary>
    public string? MasterKey { get; set; }

    /// <summary>A file holding <see cref="MasterKey"/>, preferred in production (0600, outside the database).</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>Whether owners may create further organizations on this deployment (multi-tenant hosting).</summary>
    public bool AllowOrganizationCreation { get; set; }

    /// <summary>Name shown in authenticator apps.</summary>
    public string Issuer { get; set; } = "Control";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A portal session ends after this long without a request (sliding).</summary>
    public TimeSpan PortalIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A portal session ends this long after sign-in, however active (then sign in again, with the second factor).</summary>
    public TimeSpan PortalSessionLifetime { get; set; } = TimeSpan.FromHours(12);

    public TimeSpan ActivationCodeLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a viewer certificate (<c>POST /me/viewer-certificate</c>) is valid; short, so a leaked one soon dies on its own.</summary>
    public TimeSpan ViewerCertificateLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Anonymous authentication attempts (login, refresh, activate, setup) allowed per source address and minute.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 30;

    /// <summary>Where `codegen write` puts generated handler code; default: the project's Internal/Generated.</summary>
    public string? GeneratedCodeOutputPath { get; set; }

    /// <summary>How long an offboarding waits for the agents' receipts before it completes with the offline clients listed as pending.</summary>
    public TimeSpan OffboardingReceiptDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many clients one transaction of an offboarding's ACL step changes: a person in every ACL of a large organization
    /// is removed a batch at a time, each batch's agents getting their change as soon as it commits.
    /// </summary>
    public int OffboardingBatchSize { get; set; } = 1000;

    /// <summary>
    /// How many of those batches commit side by side, each in its own transaction: one batch's PostgreSQL work overlaps the
    /// next one's loading and deciding. 1 = one at a time, in the saga's own transaction.
    /// </summary>
    public int OffboardingParallelBatches { get; set; } = 2;

    /// <summary>
    /// Generated unattended passwords kept ready (their PBKDF2 verifiers derived ahead, at the lowest priority) for a mass
    /// rotation such as an offboarding's step 6; a rotation of more derives the rest on the spot. 0 turns the pool off.
    /// </summary>
    public int GeneratedPasswordPool { get; set; } = 2048;

    /// <summary>A pause before each offboarding step and between the ACL step's rounds (none by default). The end-to-end tests set it to
    /// kill the API between steps for real.</summary>
    public TimeSpan OffboardingStepDelay { get; set; }

    /// <summary>One API process only (the embedded default): Wolverine recovers its own unfinished messages at once after a crash.
    /// Leave off when several API processes share the database; they then recover a dead node's messages between them.</summary>
    public bool SingleNode { get; set; }

    /// <summary>PostgreSQL schema for Marten's and Wolverine's tables.</summary>
    public string DatabaseSchema { get; set; } = "control";

    /// <summary>Rows per query of an audit export (the export streams chunk after chunk in one snapshot). Tests set it small so
    /// that every export crosses chunk boundaries.</summary>
    public int AuditExportChunkRows { get; set; } = 10_000;

    /// <summary>Chunks of a change-log export read and formatted side by side, each on its own connection (and held in
    /// memory until its turn): 2 keeps both the database and the API busy on two cores.</summary>
    public int AuditExportParallelChunks { get; set; } = 2;

    /// <summary>Chain entries below which <c>audit verify</c> uses one connection; above, ranges of at least this many are
    /// checked side by side (up to one per core). Tests set it small so that every verify runs in several ranges.</summary>
    public int AuditVerifyRangeEntries { get; set; } = 20_000;

    /// <summary>The largest shell recording of one session the API stores, in bytes; a larger upload is refused (413).</summary>
    public long MaxRecordingBytesPerSession { get; set; } = 50L * 1024 * 1024;

    /// <summary>
    /// Recording bytes one client may store in any 24 hours; an upload beyond it is refused (429) until older ones age out.
    /// A stolen agent credential must not be able to fill the database.
    /// </summary>
    public long MaxRecordingBytesPerClientPerDay { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Reverse proxies (addresses, or networks in CIDR form) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are
    /// believed: behind a TLS-terminating proxy the portal cookie is then <c>Secure</c> and <c>__Host-</c> prefixed, and
    /// audit entries and per-address rate limits see the client's address, not the proxy's. Empty (the default): those
    /// headers are ignored from everyone, so nobody can claim another address or HTTPS by sending them.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Forwarding of every new audit entry to a SIEM (syslog over TCP); off unless <see cref="SyslogOptions.Host"/> is set.</summary>
    public SyslogOptions Syslog { get; set; } = new();
}

/// <summary>Settings under <c>Control:Syslog:</c>: RFC 5424 messages over TCP with RFC 6587 octet-counting framing.</summary>
public sealed class SyslogOptions
{
    /// <summary>The receiver's host name or address; forwarding is off while this is empty.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 601;

    /// <summary>APP-NAME of every message.</summary>
    public string AppName { get; set; } = "control";

    /// <summary>HOSTNAME of every message; the machine's name when empty.</summary>
    public string? Hostname { get; set; }

    /// <summary>Entries sent per connection; a longer backlog continues in the next batch at once.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>While the receiver is unreachable, retries wait 1 s, 2 s, 4 s, ... up to this.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
