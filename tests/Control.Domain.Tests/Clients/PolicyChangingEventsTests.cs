using System.Runtime.CompilerServices;
using System.Text;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Organizations;
using Control.Domain.Security;

namespace Control.Domain.Tests.Clients;

/// <summary>
/// <see cref="PolicyChangingEvents"/> against what agents are actually served: for every event type of the domain, the
/// list says it changes a policy exactly when applying it can change a served part, and the aggregates count exactly
/// the listed events into their policy revisions. A new event type fails here until it has a sample below.
/// </summary>
public class PolicyChangingEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Sam = new(Guid.CreateVersion7(), "sam@acme");
    private static readonly Guid ClientId = Guid.CreateVersion7();
    private static readonly Guid OrganizationId = Guid.CreateVersion7();
    private static readonly ScramVerifier Verifier = new("salt", 4096, "stored", "server");

    private static readonly ClientEnrolled Enrolled =
        new(ClientId, OrganizationId, "acme", 123456789, "public-key", "fingerprint", "hash", "desk@acme", null, null, Sam, T0);

    private static readonly OrganizationCreated Created = new(OrganizationId, "acme", "Acme", Sam, T0);

    /// <summary>One event of each type of the client's stream, each one that would alter a policy if its type can.</summary>
    private static readonly object[] ClientSamples =
    [
        Enrolled,
        new ClientTagsSet(ClientId, ["kiosk"], Sam, T0),
        new ClientPresetApplied(ClientId, new ClientPreset(true, ["ops@acme"], true, new SessionPermissions(false, true, false)), "custom-client:kiosk", T0),
        new ClientRemoved(ClientId, Sam, T0),
        new ClientLicenseRemoved(ClientId, "desk@acme", Sam, T0),
        new AclEnabled(ClientId, Sam, T0),
        new AclDisabled(ClientId, Sam, T0),
        new AclEntryAdded(ClientId, "new@acme", Sam, T0),
        new AclEntryRemoved(ClientId, "x@acme", Sam, T0),
        new UnattendedAccessEnabled(ClientId, Sam, T0),
        new UnattendedAccessDisabled(ClientId, Sam, T0),
        new ExclusiveUnattendedAccessSet(ClientId, true, Sam, T0),
        new UnattendedPasswordSet(ClientId, new ScramVerifier("salt2", 4096, "stored2", "server2"), false, Sam, T0),
        new TokensCleared(ClientId, 7, Sam, T0),
        new ClientTwoFactorEnrollmentStarted(ClientId, "seed-2", Sam, T0),
        new ClientTwoFactorEnabled(ClientId, Sam, T0),
        new ClientTwoFactorDisabled(ClientId, Sam, T0),
        new SessionPermissionsSet(ClientId, new SessionPermissions(true, false, true), Sam, T0),
        new SessionLoginsSet(ClientId, ["admin", "root"], Sam, T0),
        new ClientSessionTerminated(ClientId, Guid.CreateVersion7(), Sam, T0),
        new RememberTokenRevoked(ClientId, "t9", Sam, T0),
    ];

    /// <summary>One event of each type of the organization's stream.</summary>
    private static readonly object[] OrganizationSamples =
    [
        Created,
        new LicenseKeyIssued(OrganizationId, "key-hash-2", Sam, T0),
        new LicenseKeyReset(OrganizationId, "key-hash-3", Sam, T0),
        new PolicySigningKeyCreated(OrganizationId, "key-2", "public", "private", T0),
        new OrganizationClientDefaultsSet(OrganizationId, new ClientPreset(true, ["ops@acme"], true, SessionPermissions.All), Sam, T0),
        new OrganizationAclEntryAdded(OrganizationId, "new@acme", Sam, T0),
        new OrganizationAclEntryRemoved(OrganizationId, "x@acme", Sam, T0),
        new ViewerCaCreated(OrganizationId, "ca-2", "ca-private-2", T0),
        new ViewerCertificatesRevoked(OrganizationId, Guid.CreateVersion7(), [new RevokedViewerCertificate("0B", T0.AddDays(1))], Sam, T0),
        new OrganizationSessionSettingsChanged(OrganizationId, true, false, Sam, T0),
    ];

    /// <summary>Clients in the states an event may meet: as enrolled, with 2FA being set up, and with every setting on.</summary>
    private static readonly Client[] ClientStates =
    [
        GivenClient(Enrolled, new ClientPresetApplied(ClientId, ClientPreset.Open, "organization-defaults", T0)),
        GivenClient(Enrolled, new ClientTwoFactorEnrollmentStarted(ClientId, "seed-1", Sam, T0)),
        GivenClient(
            Enrolled, new AclEnabled(ClientId, Sam, T0), new AclEntryAdded(ClientId, "x@acme", Sam, T0), new UnattendedAccessEnabled(ClientId, Sam, T0),
            new ExclusiveUnattendedAccessSet(ClientId, true, Sam, T0), new UnattendedPasswordSet(ClientId, Verifier, true, Sam, T0),
            new ClientTwoFactorEnrollmentStarted(ClientId, "seed-1", Sam, T0), new ClientTwoFactorEnabled(ClientId, Sam, T0),
            new SessionPermissionsSet(ClientId, new SessionPermissions(false, false, false), Sam, T0), new RememberTokenRevoked(ClientId, "t1", Sam, T0)),
    ];

    private static readonly Organization[] OrganizationStates =
    [
        GivenOrganization(Created, new PolicySigningKeyCreated(OrganizationId, "key-1", "public", "private", T0)),
        GivenOrganization(
            Created, new PolicySigningKeyCreated(OrganizationId, "key-1", "public", "private", T0), new OrganizationAclEntryAdded(OrganizationId, "x@acme", Sam, T0),
            new ViewerCaCreated(OrganizationId, "ca-1", "ca-private-1", T0), new OrganizationSessionSettingsChanged(OrganizationId, true, true, Sam, T0),
            new ViewerCertificatesRevoked(OrganizationId, Guid.CreateVersion7(), [new RevokedViewerCertificate("0A", T0.AddDays(1))], Sam, T0)),
    ];

    public static TheoryData<string> ClientEventTypes => new(ClientSamples.Skip(1).Select(e => e.GetType().Name));

    public static TheoryData<string> OrganizationEventTypes => new(OrganizationSamples.Skip(1).Select(e => e.GetType().Name));

    [Fact]
    public void Every_event_type_of_the_client_and_organization_streams_has_a_sample()
    {
        var sampled = ClientSamples.Concat(OrganizationSamples).Select(e => e.GetType()).ToHashSet();

        var missing = EventTypes()
            .Where(t => t.Namespace == typeof(Client).Namespace || t.Namespace == typeof(Organization).Namespace)
            .Where(t => !sampled.Contains(t))
            .Select(t => t.Name)
            .ToList();

        Assert.True(missing.Count == 0, $"add a sample for {string.Join(", ", missing)} and decide whether it changes a policy (PolicyChangingEvents)");
    }

    [Theory]
    [MemberData(nameof(ClientEventTypes))]
    public void A_client_event_is_listed_exactly_when_it_can_change_the_served_client_part(string type)
    {
        var e = ClientSamples.Single(s => s.GetType().Name == type);

        var changesServedPart = ClientStates.Any(state => Served(Client.Evolve(state, e)!) != Served(state));

        Assert.Equal(changesServedPart, PolicyChangingEvents.ChangeClientPolicy(e));
        Assert.False(PolicyChangingEvents.ChangeEveryClientPolicy(e));
        Assert.All(ClientStates, state =>
            Assert.Equal(state.PolicyRevision + (changesServedPart ? 1 : 0), Client.Evolve(state, e)!.PolicyRevision));
    }

    [Theory]
    [MemberData(nameof(OrganizationEventTypes))]
    public void An_organization_event_is_listed_exactly_when_it_can_change_the_served_organization_part(string type)
    {
        var e = OrganizationSamples.Single(s => s.GetType().Name == type);

        var changesServedPart = OrganizationStates.Any(state => Served(Organization.Evolve(state, e)!) != Served(state));

        Assert.Equal(changesServedPart, PolicyChangingEvents.ChangeEveryClientPolicy(e));
        Assert.False(PolicyChangingEvents.ChangeClientPolicy(e));
        Assert.All(OrganizationStates, state =>
            Assert.Equal(state.PolicyRevision + (changesServedPart ? 1 : 0), Organization.Evolve(state, e)!.PolicyRevision));
    }

    [Fact]
    public void Enrolment_is_the_client_policy_first_revision_and_creating_an_organization_is_none()
    {
        Assert.True(PolicyChangingEvents.ChangeClientPolicy(Enrolled));
        Assert.Equal(1, Client.Evolve(null, Enrolled)!.PolicyRevision);
        Assert.False(PolicyChangingEvents.ChangeEveryClientPolicy(Created));
        Assert.Equal(0, Organization.Evolve(null, Created)!.PolicyRevision);
    }

    [Fact]
    public void Events_of_other_streams_change_no_policy()
    {
        var others = EventTypes().Where(t => t.Namespace != typeof(Client).Namespace && t.Namespace != typeof(Organization).Namespace).ToList();

        Assert.Contains(typeof(SecretRevealed), others);
        Assert.All(others, type =>
        {
            var e = RuntimeHelpers.GetUninitializedObject(type);
            Assert.False(PolicyChangingEvents.ChangeClientPolicy(e), type.Name);
            Assert.False(PolicyChangingEvents.ChangeEveryClientPolicy(e), type.Name);
            Assert.All(ClientStates, state => Assert.Same(state, Client.Evolve(state, e)));
            Assert.All(OrganizationStates, state => Assert.Same(state, Organization.Evolve(state, e)));
        });
    }

    /// <summary>Every event record of the domain: the past-tense records that carry when they happened.</summary>
    private static List<Type> EventTypes() =>
    [
        .. typeof(Client).Assembly.GetExportedTypes().Where(t =>
            t is { IsClass: true, IsAbstract: false } && t.GetMethod("<Clone>$") is not null && t.GetProperty("At")?.PropertyType == typeof(DateTimeOffset)),
    ];

    /// <summary>The client part as the API composes it, its revision aside (the TOTP seed stands in for its encryption).</summary>
    private static string Served(Client client)
    {
        var totp = client.TwoFactor is { Enabled: true, ProtectedSecret: { } seed } ? "sealed:" + seed : null;
        var part = PolicyComposer.ComposeClientPart(client, client.OrganizationSlug, totp, T0) with { Revision = 0 };
        return Encoding.UTF8.GetString(PolicySignature.CanonicalBytes(part));
    }

    /// <summary>The organization part as the API composes it, its revision aside, with the key that signs it.</summary>
    private static string Served(Organization organization)
    {
        var part = PolicyComposer.ComposeOrganizationPart(OrganizationPolicyContext.Of(organization, T0), T0) with { Revision = 0 };
        return Encoding.UTF8.GetString(PolicySignature.CanonicalBytes(part)) + " signed by " + organization.SigningKey?.KeyId;
    }

    private static Client GivenClient(params object[] events) => events.Aggregate((Client?)null, Client.Evolve)!;

    private static Organization GivenOrganization(params object[] events) => events.Aggregate((Organization?)null, Organization.Evolve)!;
}
