using Control.Domain.Security;

namespace Control.Domain.Clients;

public enum ClientStatus
{
    Active,
    Removed,
}

public sealed record UnattendedState(bool Enabled, bool Exclusive, ScramVerifier? Verifier)
{
    public static UnattendedState Off { get; } = new(false, false, null);
}

public sealed record ClientTwoFactorState(bool Enabled, string? ProtectedSecret, string? PendingProtectedSecret)
{
    public static ClientTwoFactorState Off { get; } = new(false, null, null);
}

/// <summary>
/// A managed machine's security state, folded from its stream. <see cref="PolicyRevision"/> counts the events that
/// change what the agent enforces; with the organization's revision it forms the policy version.
/// </summary>
public sealed record Client
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string OrganizationSlug { get; init; }
    public required long Number { get; init; }
    public required string PublicKey { get; init; }
    public required string KeyFingerprint { get; init; }
    public required string CredentialHash { get; init; }
    public string? Alias { get; init; }
    public Guid? CustomClientId { get; init; }
    public string? Hostname { get; init; }
    public ClientStatus Status { get; init; }
    public bool Licensed { get; init; } = true;
    public IReadOnlyList<string> Tags { get; init; } = [];
    public bool AclEnabled { get; init; }
    public IReadOnlyList<string> AclEntries { get; init; } = [];
    public UnattendedState Unattended { get; init; } = UnattendedState.Off;
    public long TokenEpoch { get; init; }
    public ClientTwoFactorState TwoFactor { get; init; } = ClientTwoFactorState.Off;
    public SessionPermissions Permissions { get; init; } = SessionPermissions.All;

    /// <summary>The local accounts a session may run as, the default first.</summary>
    public IReadOnlyList<string> Logins { get; init; } = [Sessions.SessionLogins.Default];
    /// <summary>The latest sessions an operator ended, oldest first, at most <see cref="ClientDecider.MaxTerminatedSessions"/>.</summary>
    public IReadOnlyList<Guid> TerminatedSessions { get; init; } = [];

    /// <summary>Remember-tokens of the current <see cref="TokenEpoch"/> revoked one by one; a new epoch empties it (they are all dead then).</summary>
    public IReadOnlyList<string> RevokedTokenIds { get; init; } = [];

    public long PolicyRevision { get; init; }
    public DateTimeOffset EnrolledAt { get; init; }

    /// <summary>Stream version, set by the event store when it loads the aggregate.</summary>
    public long Version { get; set; }

    public string NumberText => Number.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Client Start(ClientEnrolled e) => new()
    {
        Id = e.ClientId,
        OrganizationId = e.OrganizationId,
        OrganizationSlug = e.OrganizationSlug,
        Number = e.Number,
        PublicKey = e.PublicKey,
        KeyFingerprint = e.KeyFingerprint,
        CredentialHash = e.CredentialHash,
        Alias = e.Alias,
        CustomClientId = e.CustomClientId,
        Hostname = e.Hostname,
        EnrolledAt = e.At,
        PolicyRevision = 1,
    };

    public static Client? Evolve(Client? state, object @event)
    {
        if (@event is ClientEnrolled enrolled)
        {
            return Start(enrolled);
        }

        if (state is null)
        {
            return null;
        }

        var next = Fold(state, @event);
        return PolicyChangingEvents.ChangeClientPolicy(@event) ? next with { PolicyRevision = state.PolicyRevision + 1 } : next;
    }

    // Not named Apply: the event store takes an aggregate's Apply methods for conventional projection methods.
    private static Client Fold(Client state, object @event) => @event switch
    {
        ClientTagsSet e => state with { Tags = e.Tags },
        ClientPresetApplied e => state with
        {
            AclEnabled = e.Preset.AclEnabled,
            AclEntries = e.Preset.AclEntries,
            Unattended = state.Unattended with { Enabled = e.Preset.UnattendedEnabled },
            Permissions = e.Preset.Permissions,
        },
        ClientRemoved => state with { Status = ClientStatus.Removed },
        ClientLicenseRemoved => state with { Licensed = false, Alias = null },
        Clients.AclEnabled => state with { AclEnabled = true },
        AclDisabled => state with { AclEnabled = false },
        AclEntryAdded e => state with { AclEntries = [.. state.AclEntries, e.Entry] },
        AclEntryRemoved e => state with { AclEntries = state.AclEntries.Where(x => x != e.Entry).ToList() },
        UnattendedAccessEnabled => state with { Unattended = state.Unattended with { Enabled = true } },
        UnattendedAccessDisabled => state with { Unattended = state.Unattended with { Enabled = false } },
        ExclusiveUnattendedAccessSet e => state with { Unattended = state.Unattended with { Exclusive = e.Exclusive } },
        UnattendedPasswordSet e => state with { Unattended = state.Unattended with { Verifier = e.Verifier } },
        TokensCleared e => state with { TokenEpoch = e.Epoch, RevokedTokenIds = [] },
        RememberTokenRevoked e => state with { RevokedTokenIds = [.. state.RevokedTokenIds, e.TokenId] },
        ClientSessionTerminated e => state with
        {
            TerminatedSessions = [.. state.TerminatedSessions.Append(e.SessionId).TakeLast(ClientDecider.MaxTerminatedSessions)],
        },
        ClientTwoFactorEnrollmentStarted e => state with { TwoFactor = state.TwoFactor with { PendingProtectedSecret = e.ProtectedSecret } },
        ClientTwoFactorEnabled => state with
        {
            TwoFactor = new ClientTwoFactorState(true, state.TwoFactor.PendingProtectedSecret, null),
        },
        ClientTwoFactorDisabled => state with { TwoFactor = ClientTwoFactorState.Off },
        SessionPermissionsSet e => state with { Permissions = e.Permissions },
        SessionLoginsSet e => state with { Logins = e.Logins },
        _ => state,
    };
}
