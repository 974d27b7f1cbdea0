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
        var decision = OrganizationDecider.Decide(new CreateOrganization(Guid.CreateVersion7(), slug, " Acme Inc. "), taken, Actor.System("test"), T0);
        Assert.Equal(refusal, decision.Refusal?.Code);
        if (refusal is null)
        {
            var created = Assert.IsType<OrganizationCreated>(Assert.Single(decision.Events));
            Assert.Equal("Acme Inc.", created.Name);
            Assert.Equal(slug, Organization.Evolve(null, created)!.Slug);
        }
    }
}
