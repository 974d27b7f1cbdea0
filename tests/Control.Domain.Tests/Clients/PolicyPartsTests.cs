using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Domain.Organizations;
using Control.Domain.Security;

namespace Control.Domain.Tests.Clients;

/// <summary>The two signed parts of a policy: which change touches which part, and what their combination enforces.</summary>
public class PolicyPartsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Sam = new(Guid.CreateVersion7(), "sam@acme");
    private static readonly Guid ClientId = Guid.CreateVersion7();

    private static Client Given(params object[] events) => events.Aggregate((Client?)null, Client.Evolve)!;

    private static Client Desk() => Given(
        new ClientEnrolled(ClientId, Guid.CreateVersion7(), "acme", 123456789, "public-key", "fingerprint", "hash", "desk@acme", null, null, Sam, T0),
        new AclEntryAdded(ClientId, "bob@acme", Sam, T0));

    private static OrganizationPolicyContext Acme(long revision, params string[] entries) =>
        new("acme", Licensed: true, revision, entries, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", ["0a1b"], SessionSettings.Default);

    [Fact]
    public void OrganizationWideChange_LeavesTheClientPartByteForByte_AndChangesTheOrganizationPart()
    {
        var client = PolicyComposer.ComposeClientPart(Desk(), "acme", null, T0);
        var before = PolicyComposer.ComposeOrganizationPart(Acme(4), T0);
        var after = PolicyComposer.ComposeOrganizationPart(Acme(5, "*-support@acme"), T0.AddMinutes(1));

        Assert.Equal(PolicySignature.CanonicalBytes(client), PolicySignature.CanonicalBytes(PolicyComposer.ComposeClientPart(Desk(), "acme", null, T0)));
        Assert.NotEqual(PolicySignature.CanonicalBytes(before), PolicySignature.CanonicalBytes(after));

        var combined = PolicyComposer.Combine(client, after);
        Assert.Equal(["*-support@acme", "bob@acme"], combined.Acl.Entries);
        Assert.Equal(client.Revision + 5, combined.Version);
        Assert.Equal(["0a1b"], combined.RevokedViewerSerials);
        Assert.Equal("2026-11-25T09:01:00Z", combined.IssuedAt);
        Assert.Equal("desk@acme", combined.Alias);
    }

    [Fact]
    public void Combine_OfAnUnlicensedOrganization_DropsTheAlias_AndOfARemovedClient_AdmitsNobody()
    {
        var client = PolicyComposer.ComposeClientPart(Desk(), "acme", null, T0);
        var unlicensed = PolicyComposer.Combine(client, PolicyComposer.ComposeOrganizationPart(Acme(1) with { Licensed = false }, T0));
        Assert.False(unlicensed.Licensed);
        Assert.Null(unlicensed.Alias);

        var removed = PolicyComposer.ComposeClientPart(Client.Evolve(Desk(), new ClientRemoved(ClientId, Sam, T0))!, "acme", null, T0);
        var tombstone = PolicyComposer.Combine(removed, PolicyComposer.ComposeOrganizationPart(Acme(1, "*@acme"), T0));
        Assert.True(tombstone.Removed);
        Assert.True(tombstone.Acl.Enabled);
        Assert.Empty(tombstone.Acl.Entries);
        Assert.Equal((false, false, false), (tombstone.Permissions.Exec, tombstone.Permissions.Shell, tombstone.Permissions.FileTransfer));
        Assert.Empty(tombstone.Permissions.Logins);
    }

    [Fact]
    public void Verify_RefusesATamperedOrganizationPart_AndPartsOfAnotherOrganization()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var client = PolicyComposer.ComposeClientPart(Desk(), "acme", null, T0);
        var signed = PolicySignature.Sign(client, PolicyComposer.ComposeOrganizationPart(Acme(2), T0), key, "k");
        Assert.True(PolicySignature.Verify(signed, key));

        var widened = new SignedPolicy(signed.Client, signed.Organization with { Policy = signed.Organization.Policy with { AclEntries = ["*"] } });
        Assert.False(PolicySignature.Verify(widened, key));

        var umbrella = PolicySignature.Sign(client, PolicyComposer.ComposeOrganizationPart(Acme(2) with { Slug = "umbrella" }, T0), key, "k");
        Assert.False(PolicySignature.Verify(new SignedPolicy(signed.Client, umbrella.Organization), key));
    }
}
