using Control.Domain.Organizations;

namespace Control.Domain.Clients;

/// <summary>
/// The one list of events that change what an agent is served: the client's aggregate counts them into its policy
/// revision, the organization's into its own, and the API's change notifier wakes the agents (and drops the cached
/// snapshots) on exactly these. An event that alters no served policy is left out, so that it neither bumps a version
/// agents would fetch again for nothing nor wakes a whole organization's long polls. A test composes the served parts
/// before and after every event type and fails when this list and the policy disagree.
/// </summary>
public static class PolicyChangingEvents
{
    /// <summary>Changes the client part of that client's policy (its stream's own events; enrolment creates the policy).</summary>
    public static bool ChangeClientPolicy(object @event) => @event is ClientEnrolled
        or ClientPresetApplied
        or ClientRemoved
        or ClientLicenseRemoved
        or AclEnabled
        or AclDisabled
        or AclEntryAdded
        or AclEntryRemoved
        or UnattendedAccessEnabled
        or UnattendedAccessDisabled
        or ExclusiveUnattendedAccessSet
        or UnattendedPasswordSet
        or TokensCleared
        or RememberTokenRevoked
        or ClientSessionTerminated
        or ClientTwoFactorEnabled
        or ClientTwoFactorDisabled
        or SessionPermissionsSet
        or SessionLoginsSet;

    /// <summary>Changes the organization part, which every client of the organization is served.</summary>
    public static bool ChangeEveryClientPolicy(object @event) => @event is PolicySigningKeyCreated
        or OrganizationAclEntryAdded
        or OrganizationAclEntryRemoved
        or ViewerCaCreated
        or ViewerCertificatesRevoked
        or OrganizationSessionSettingsChanged;
}
