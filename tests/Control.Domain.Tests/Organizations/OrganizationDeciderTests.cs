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
        var decision = OrganizationDecider.Decide(new CreateOrganization(Guid.CreateVersion7(), slug, " Acme Inc. ", "license-hash", key), taken, Actor.System("test"), T0);
        Assert.Equal(refusal, decision.Refusal?.Code);
        if (refusal is null)
        {
            Assert.Equal([typeof(OrganizationCreated), typeof(LicenseKeyIssued), typeof(PolicySigningKeyCreated)], decision.Events.Select(e => e.GetType()));
            var state = decision.Events.Aggregate((Organization?)null, Organization.Evolve)!;
            Assert.Equal("Acme Inc.", state.Name);
            Assert.Equal(slug, state.Slug);
            Assert.Equal(key, state.SigningKey);
            Assert.Equal(1, state.PolicyRevision);
        }
    }
}
