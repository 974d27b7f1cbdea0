using System.Text.RegularExpressions;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>The portal names client changes from its own copy of the contract: the two lists must agree.</summary>
public sealed partial class ClientActionsContractTests
{
    [Fact]
    public void PortalClientActions_MatchTheContract()
    {
        var source = File.ReadAllText(Path.Combine(GeneratedCodeTests.RepositoryRoot(), "src", "Control.Portal", "src", "clientActions.ts"));
        var list = ListLiteral().Match(source);
        Assert.True(list.Success, "clientActions.ts declares: export const clientActions = [...] as const;");
        var names = Name().Matches(list.Groups[1].Value).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(ClientActions.All, names);
    }

    [GeneratedRegex(@"export const clientActions = \[(.*?)\] as const;", RegexOptions.Singleline)]
    private static partial Regex ListLiteral();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex Name();
}
