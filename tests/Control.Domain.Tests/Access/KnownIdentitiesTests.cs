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

    [Fact]
    public void An_offboarded_persons_identities_are_still_matched_but_marked_and_not_listed_among_the_people()
    {
        var bob = new Person
        {
            Id = Guid.NewGuid(), OrganizationId = OrganizationId, Name = "Bob", Status = PersonStatus.Offboarded,
            Identities = ["bob@acme", "zoe@acme"], Clients = [new LinkedClient(Laptop.Id, "laptop@acme")],
        };
        Assert.True(AclEntry.TryParse("*@acme", out var entry, out _));
        var matches = KnownIdentities.MatchedBy(entry, Operators, [bob, Zoe with { Clients = [] }], [Laptop]).ToDictionary(m => m.Identity);

        Assert.Equal(["linked to Bob (offboarded)"], matches["bob@acme"].KnownAs);
        Assert.Empty(matches["bob@acme"].People);
        Assert.Equal(["Bob"], matches["bob@acme"].OffboardedPeople);
        // Shared with someone still here: both are said, each in their own list.
        Assert.Equal(["Zoe"], matches["zoe@acme"].People);
        Assert.Equal(["Bob"], matches["zoe@acme"].OffboardedPeople);
        Assert.Equal(["client laptop@acme (of Bob, offboarded)"], matches["laptop@acme"].KnownAs);
        Assert.Empty(matches["eu-support@acme"].OffboardedPeople);
    }

    private static Operator Account(string username, OperatorRole role, OperatorStatus status) => new()
    {
        Id = Guid.NewGuid(), OrganizationId = OrganizationId, OrganizationSlug = "acme", Username = username, Role = role, Status = status,
    };
}
