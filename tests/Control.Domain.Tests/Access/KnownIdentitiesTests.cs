using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.People;

namespace Control.Domain.Tests.Access;

/// <summary>Which known identities an ACL entry admits: the ACL editor's preview, matched as the agent matches.</summary>
public class KnownIdentitiesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid OrganizationId = Guid.NewGuid();

    private static readonly Operator[] Operators =
    [
        Account("alice", OperatorRole.Owner, OperatorStatus.Active),
        Account("eu-support", OperatorRole.Technician, OperatorStatus.Active),
        Account("gone", OperatorRole.Technician, OperatorStatus.Disabled),
    ];

    private static readonly Client Laptop = Client.Start(new ClientEnrolled(
        Guid.NewGuid(), OrganizationId, "acme", 123_456_789, "key", "fp", "hash", "laptop@acme", null, null, Actor.Operator(Guid.NewGuid(), "alice", "acme"), T0));

    private static readonly Person Zoe = new()
    {
        Id = Guid.NewGuid(), OrganizationId = OrganizationId, Name = "Zoe", Operators = [new LinkedOperator(Operators[1].Id, "eu-support@acme")],
        Identities = ["zoe@acme"], Clients = [new LinkedClient(Laptop.Id, "laptop@acme")],
    };

    [Theory]
    [InlineData("*-support@acme", "eu-support@acme")]
    [InlineData("*@acme", "alice@acme,eu-support@acme,gone@acme,laptop@acme,zoe@acme")]
    [InlineData("*", "123456789,alice@acme,eu-support@acme,gone@acme,laptop@acme,zoe@acme")]
    [InlineData("123456789", "123456789")]
    [InlineData("alice@acme", "alice@acme")]
    [InlineData("*@acme-evil", "")]
    public void An_entry_admits_exactly_the_identities_AclEntry_Matches_admits(string entry, string expected)
    {
        Assert.True(AclEntry.TryParse(entry, out var parsed, out _));
        var matches = KnownIdentities.MatchedBy(parsed, Operators, [Zoe], [Laptop]);
        Assert.Equal(expected, string.Join(",", matches.Select(m => m.Identity)));
    }

    [Fact]
    public void Each_identity_says_what_it_is_and_whose()
    {
        Assert.True(AclEntry.TryParse("*", out var everyone, out _));
        var matches = KnownIdentities.MatchedBy(everyone, Operators, [Zoe], [Laptop]).ToDictionary(m => m.Identity);
        Assert.Equal(["operator (technician)", "linked to Zoe"], matches["eu-support@acme"].KnownAs);
        Assert.Equal(["Zoe"], matches["eu-support@acme"].People);
        Assert.Equal(["operator (technician, disabled)"], matches["gone@acme"].KnownAs);
        Assert.Equal(["client laptop@acme (of Zoe)"], matches["123456789"].KnownAs);
        Assert.Empty(matches["alice@acme"].People);
    }

    private static Operator Account(string username, OperatorRole role, OperatorStatus status) => new()
    {
        Id = Guid.NewGuid(), OrganizationId = OrganizationId, OrganizationSlug = "acme", Username = username, Role = role, Status = status,
    };
}
