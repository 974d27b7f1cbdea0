using Control.Domain.Access;

namespace Control.Domain.Tests.Access;

public class AclEntryTests
{
    [Theory]
    [InlineData("alice@acme", AclEntryKind.Alias)]
    [InlineData(" Alice@ACME ", AclEntryKind.Alias)]
    [InlineData("*@acme", AclEntryKind.Wildcard)]
    [InlineData("*-support@acme", AclEntryKind.Wildcard)]
    [InlineData("123456789", AclEntryKind.ClientNumber)]
    [InlineData("*", AclEntryKind.Everyone)]
    public void Valid_entries(string text, AclEntryKind kind)
    {
        Assert.True(AclEntry.TryParse(text, out var entry, out _));
        Assert.Equal(kind, entry.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice@")]
    [InlineData("alice@*")]
    [InlineData("*@*")]
    [InlineData("a@b@acme")]
    [InlineData("012345678")]
    [InlineData("12345")]
    [InlineData("al ice@acme")]
    public void Invalid_entries_are_refused_with_a_message(string text)
    {
        Assert.False(AclEntry.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("*@acme", "alice@acme", true)]
    [InlineData("*@acme", "alice@acme-evil", false)]
    [InlineData("*@acme", "alice@evil", false)]
    [InlineData("*-support@acme", "eu-support@acme", true)]
    [InlineData("*-support@acme", "support@acme", false)]
    [InlineData("*-support@acme", "eu-support-x@acme", false)]
    [InlineData("alice@acme", "ALICE@acme", true)]
    [InlineData("alice@acme", "alice2@acme", false)]
    [InlineData("123456789", "123456789", true)]
    [InlineData("123456789", "223456789", false)]
    [InlineData("*", "anyone@anywhere", true)]
    public void Matching(string pattern, string identity, bool matches)
    {
        Assert.True(AclEntry.TryParse(pattern, out var entry, out _));
        Assert.Equal(matches, entry.Matches(identity));
    }
}
