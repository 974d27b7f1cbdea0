using Control.Domain.Common;

namespace Control.Domain.Organizations;

public sealed record PolicySigningKey(string KeyId, string PublicKey, string ProtectedPrivateKey);

/// <param name="Certificate">Base64 DER of the self-signed CA certificate.</param>
public sealed record ViewerCa(string Certificate, string ProtectedPrivateKey);

/// <summary>How sessions to the organization's clients run: off by default a justification, on by default shell recording.</summary>
public sealed record SessionSettings(bool RequireJustification, bool RecordShellSessions)
{
    public static SessionSettings Default { get; } = new(false, true);
}

public sealed record Organization(Guid Id, string Slug, string Name, DateTimeOffset CreatedAt)
{
    public string? LicenseKeyHash { get; init; }
    public PolicySigningKey? SigningKey { get; init; }
    public Clients.ClientPreset ClientDefaults { get; init; } = Clients.ClientPreset.Open;

    /// <summary>Entries every client's ACL admits in addition to its own (one change reaches every client).</summary>
    public IReadOnlyList<string> AclEntries { get; init; } = [];

    public ViewerCa? ViewerCa { get; init; }

    public SessionSettings SessionSettings { get; init; } = SessionSettings.Default;

    /// <summary>Revoked viewer certificates that had not expired when last revoked into (expired ones are dropped then).</summary>
    public IReadOnlyList<RevokedViewerCertificate> RevokedViewerCertificates { get; init; } = [];

    /// <summary>Counts changes that alter every client's policy (part of each policy's version).</summary>
    public long PolicyRevision { get; init; }

    public long Version { get; set; }

    public static Organization Start(OrganizationCreated e) => new(e.OrganizationId, e.Slug, e.Name, e.At);

    public static Organization? Evolve(Organization? state, object @event)
    {
        if (@event is OrganizationCreated created)
        {
            return Start(created);
        }

        if (state is null)
        {
            return null;
        }

        var next = Fold(state, @event);
        return Clients.PolicyChangingEvents.ChangeEveryClientPolicy(@event) ? next with { PolicyRevision = state.PolicyRevision + 1 } : next;
    }

    // Not named Apply: the event store takes an aggregate's Apply methods for conventional projection methods.
    private static Organization Fold(Organization state, object @event) => @event switch
    {
        LicenseKeyIssued e => state with { LicenseKeyHash = e.KeyHash },
        LicenseKeyReset e => state with { LicenseKeyHash = e.KeyHash },
        PolicySigningKeyCreated e => state with { SigningKey = new PolicySigningKey(e.KeyId, e.PublicKey, e.ProtectedPrivateKey) },
        OrganizationClientDefaultsSet e => state with { ClientDefaults = e.Defaults },
        OrganizationAclEntryAdded e => state with { AclEntries = [.. state.AclEntries, e.Entry] },
        OrganizationAclEntryRemoved e => state with { AclEntries = state.AclEntries.Where(x => x != e.Entry).ToList() },
        ViewerCaCreated e => state with { ViewerCa = new ViewerCa(e.Certificate, e.ProtectedPrivateKey) },
        OrganizationSessionSettingsChanged e => state with { SessionSettings = new SessionSettings(e.RequireJustification, e.RecordShellSessions) },
        ViewerCertificatesRevoked e => state with
        {
            // An expired certificate fails validation on its own; listing it for ever would only grow every policy.
            RevokedViewerCertificates = [.. state.RevokedViewerCertificates.Where(c => c.NotAfter > e.At), .. e.Certificates],
        },
        _ => state,
    };

    /// <summary>Serials of revoked certificates still valid at <paramref name="now"/>, ordinal order (a canonical policy field).</summary>
    public IReadOnlyList<string> RevokedViewerSerials(DateTimeOffset now) =>
        RevokedViewerCertificates.Where(c => c.NotAfter > now).Select(c => c.Serial).Distinct().Order(StringComparer.Ordinal).ToList();

    public bool LicenseKeyMatches(string presented) => LicenseKeyHash is { } hash && Secrets.TokenMatches(presented, hash);
}
