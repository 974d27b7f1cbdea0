using Control.Domain.Common;
using Control.Domain.Organizations;

namespace Control.Domain.Tests.Organizations;

public class OrganizationDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("acme", false, null)]
    [InlineData("acme-support-2", false, null)]
    [InlineData("ab", false, "organization.slug_invalid")]
    [InlineData("Acme", false, "organization.slug_invalid")]
    [InlineData("-acme", false, "organization.slug_invalid")]
    [InlineData("acme-", false, "organization.slug_invalid")]
    [InlineData("acme_corp", false, "organization.slug_invalid")]
    [InlineData("a23456789012345678901234567890123", false, "organization.slug_invalid")]
    [InlineData("acme", true, "organization.slug_taken")]
    public void Namespace_rules(string slug, bool taken, string? refusal)
    {
        var key = new PolicySigningKey("kid", "public", "protected");
        var ca = new ViewerCa("ca-certificate", "protected-ca-key");
        var decision = OrganizationDecider.Decide(new CreateOrganization(Guid.CreateVersion7(), slug, " Acme Inc. ", "license-hash", key, ca), taken, Actor.System("test"), T0);
        Assert.Equal(refusal, decision.Refusal?.Code);
        if (refusal is null)
        {
            Assert.Equal(
                [typeof(OrganizationCreated), typeof(LicenseKeyIssued), typeof(PolicySigningKeyCreated), typeof(ViewerCaCreated)], decision.Events.Select(e => e.GetType()));
            var state = decision.Events.Aggregate((Organization?)null, Organization.Evolve)!;
            Assert.Equal("Acme Inc.", state.Name);
            Assert.Equal(slug, state.Slug);
            Assert.Equal(key, state.SigningKey);
            Assert.Equal(ca, state.ViewerCa);
            Assert.Equal(2, state.PolicyRevision);
        }
    }

    [Fact]
    public void Viewer_ca_is_created_once_and_then_left_alone()
    {
        var organization = Organization.Start(new OrganizationCreated(Guid.CreateVersion7(), "acme", "Acme", Actor.System("test"), T0));
        var first = OrganizationDecider.Decide(new CreateViewerCa(new ViewerCa("ca-1", "key-1")), organization, T0);
        var created = Assert.IsType<ViewerCaCreated>(Assert.Single(first.Events));
        Assert.Equal("ca-1", created.Certificate);

        var withCa = first.Events.Aggregate((Organization?)organization, Organization.Evolve)!;
        Assert.Equal(organization.PolicyRevision + 1, withCa.PolicyRevision);
        var second = OrganizationDecider.Decide(new CreateViewerCa(new ViewerCa("ca-2", "key-2")), withCa, T0.AddMinutes(1));
        Assert.Same(Decision.NothingToDo, second);
    }

    [Fact]
    public void Revoked_serials_in_the_policy_are_the_unexpired_ones_in_ordinal_order()
    {
        var id = Guid.CreateVersion7();
        var state = new object[]
        {
            new OrganizationCreated(id, "acme", "Acme", Actor.System("test"), T0),
            new ViewerCertificatesRevoked(id, Guid.CreateVersion7(), [new("BB", T0.AddHours(8)), new("AA", T0.AddHours(1))], Actor.System("test"), T0),
            new ViewerCertificatesRevoked(id, Guid.CreateVersion7(), [new("0C", T0.AddHours(9))], Actor.System("test"), T0.AddMinutes(5)),
        }.Aggregate((Organization?)null, Organization.Evolve)!;

        Assert.Equal(2, state.PolicyRevision);
        Assert.Equal(["0C", "AA", "BB"], state.RevokedViewerSerials(T0.AddMinutes(10)));
        Assert.Equal(["0C", "BB"], state.RevokedViewerSerials(T0.AddHours(2)));

        // A later revocation drops entries that expired before it from the state itself.
        var later = Organization.Evolve(state, new ViewerCertificatesRevoked(id, Guid.CreateVersion7(), [new("DD", T0.AddHours(12))], Actor.System("test"), T0.AddHours(3)))!;
        Assert.Equal(["0C", "BB", "DD"], later.RevokedViewerCertificates.Select(c => c.Serial).Order(StringComparer.Ordinal));
    }
}

public class SessionSettingsDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Sam = new(Guid.CreateVersion7(), "sam@acme");

    [Theory]
    [InlineData(null, null, false, false, true)]
    [InlineData(false, true, false, false, true)]
    [InlineData(true, null, true, true, true)]
    [InlineData(null, false, true, false, false)]
    [InlineData(true, false, true, true, false)]
    public void Change_from_the_defaults(bool? requireJustification, bool? recordShells, bool changes, bool expectedJustification, bool expectedRecording)
    {
        var state = new Organization(Guid.CreateVersion7(), "acme", "Acme", T0);

        var decision = OrganizationDecider.Decide(new ChangeSessionSettings(requireJustification, recordShells), state, Sam, T0);
        var after = decision.Events.Aggregate(state, (s, e) => Organization.Evolve(s, e)!);

        Assert.Null(decision.Refusal);
        Assert.Equal(changes ? 1 : 0, decision.Events.Count);
        Assert.Equal(new SessionSettings(expectedJustification, expectedRecording), after.SessionSettings);
        Assert.Equal(changes ? 1 : 0, after.PolicyRevision);
    }

    [Fact]
    public void Setting_what_already_holds_is_a_no_op()
    {
        var state = new Organization(Guid.CreateVersion7(), "acme", "Acme", T0) { SessionSettings = new SessionSettings(true, false) };

        Assert.Empty(OrganizationDecider.Decide(new ChangeSessionSettings(true, false), state, Sam, T0).Events);
        Assert.Equal(
            [new OrganizationSessionSettingsChanged(state.Id, false, false, Sam, T0)],
            OrganizationDecider.Decide(new ChangeSessionSettings(false, null), state, Sam, T0).Events);
    }
}
