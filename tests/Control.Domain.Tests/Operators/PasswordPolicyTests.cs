using Control.Domain.Operators;

namespace Control.Domain.Tests.Operators;

public class PasswordPolicyTests
{
    private static readonly IReadOnlySet<string> Common = new HashSet<string> { "password", "summer", "iloveyou1234", "letmein" };

    [Theory]
    [InlineData("correct horse battery staple", null)]
    [InlineData("Tr0ub4dor&3xyz", null)]
    [InlineData("ÄÖÜßäöüéèêëô", null)] // 12 code points, no composition rules
    [InlineData("short", "password.too_short")]
    [InlineData("elevenchars", "password.too_short")]
    [InlineData("ILoveYou1234", "password.common")]
    [InlineData("Password123456", "password.common")] // a common word with decoration
    [InlineData("!!Summer2024!!", "password.common")]
    [InlineData("aaaaaaaaaaaaaaaa", "password.common")]
    [InlineData("abcabcabcabcabc", "password.common")]
    [InlineData("bob-the-builder-42", "password.contains_context")]
    [InlineData("we-love-acme-corp", "password.contains_context")]
    public void Nist_rules(string password, string? refusal)
    {
        Assert.Equal(refusal, PasswordPolicy.Check(password, Common, "bob", "acme")?.Code);
    }

    [Fact]
    public void Very_long_passphrases_are_allowed_up_to_the_maximum()
    {
        Assert.Null(PasswordPolicy.Check(string.Concat(Enumerable.Repeat("horse battery ", 18)), Common));
        Assert.Equal("password.too_long", PasswordPolicy.Check(new string('x', 200) + string.Concat(Enumerable.Range(0, 60)), Common)?.Code);
    }
}
