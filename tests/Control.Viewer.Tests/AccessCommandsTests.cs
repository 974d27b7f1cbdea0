using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control access</c> as of a time, <c>acl-history</c> and <c>what-if</c> against a scripted server.</summary>
public sealed class AccessCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid DeskId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d7e");

    private static TestConsole SignedIn()
    {
        var console = new TestConsole { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(new Credentials(
            new Uri("http://127.0.0.1:8080"), "acme", "alice", "owner", "access", Now.AddMinutes(10), "refresh", Now.AddDays(7)));
        return console;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    [Fact]
    public async Task WhoCanReach_At_AsksForThatMomentAndSaysSo()
    {
        using var console = SignedIn();
        var then = Now.AddDays(-7);
        console.Server.On("GET /access/who-can-reach/desk", HttpStatusCode.OK, Json(new WhoCanReachResponse(
            DeskId, "desk@acme", true, ["bob@acme"], [new AccessPathDto(DeskId, "desk@acme", "bob@acme", "Bob", "ACL entry bob@acme", ["attended (someone at the client accepts)"])],
            then)));

        var exitCode = await console.RunAsync("access", "who-can-reach", "desk", "--at", "7d");

        Assert.Equal(0, exitCode);
        Assert.Equal("?at=2026-11-18T12:00:00.0000000+00:00", Uri.UnescapeDataString(console.Server.Requests[0].Query));
        Assert.StartsWith("As of 2026-11-18 12:00:00Z:", console.Out, StringComparison.Ordinal);
        Assert.Contains("ACL entry bob@acme", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AclHistory_ShowsEachChangeAsADiff()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients/desk/acl/history", HttpStatusCode.OK, Json(new AclHistoryResponse(DeskId, "desk@acme",
        [
            new AclHistoryEntry(10, Now.AddDays(-2), "alice@acme", "lock it down", null, "AclEnabled", false, [], [], true),
            new AclHistoryEntry(11, Now.AddDays(-2), "alice@acme", "bob on call", "ticket-42", "AclEntryAdded", false, ["bob@acme"], [], null),
            new AclHistoryEntry(12, Now.AddDays(-1), "carol@acme", "support", null, "OrganizationAclEntryAdded", true, ["*-support@acme"], [], null),
        ])));

        var exitCode = await console.RunAsync("access", "acl-history", "desk");

        Assert.Equal(0, exitCode);
        var lines = console.Out.ReplaceLineEndings().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("ACL on", lines[1], StringComparison.Ordinal);
        Assert.Contains("+bob@acme", lines[2], StringComparison.Ordinal);
        Assert.Contains("ticket-42", lines[2], StringComparison.Ordinal);
        Assert.Contains("+*-support@acme (organization-wide)", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIf_PostsTheProposalAndListsWhatItWouldRefuse()
    {
        using var console = SignedIn();
        var session = new WhatIfSession(Guid.NewGuid(), DeskId, "desk@acme", "bob@acme", Now.AddDays(-3), "admitted (certificate 01, attended)",
            "refused: bob@acme is not on the access control list");
        console.Server.On("POST /access/what-if", HttpStatusCode.OK, Json(new WhatIfResponse("desk@acme", 7, Now.AddDays(-7), [session], [], 12)));

        var exitCode = await console.RunAsync("access", "what-if", "desk", "--remove", "BOB@acme", "--days", "7");

        Assert.Equal(0, exitCode);
        var sent = JsonSerializer.Deserialize<WhatIfRequest>(console.Server.Requests[0].Body, ApiClient.Json)!;
        Assert.Equal(("desk", false, 7), (sent.Client, sent.OrganizationWide, sent.Days));
        Assert.Equal(["bob@acme"], sent.Remove);
        Assert.Contains("12 session(s)", console.Out, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", console.Out, StringComparison.Ordinal);
        Assert.Contains("bob@acme is not on the access control list", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhatIf_RefusedProposal_ExitsNonZeroWithTheServersReason()
    {
        using var console = SignedIn();
        console.Server.On("POST /access/what-if", HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"detail":"'*' admits anyone at all; confirm it explicitly (--allow-everyone) if that is really meant.","code":"acl.everyone_not_confirmed"}""");

        var exitCode = await console.RunAsync("access", "what-if", "desk", "--add", "*");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("admits anyone at all", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access who-can-reach desk --at yesterday", "'yesterday' is not a time")]
    [InlineData("access what-if desk", "Propose something")]
    [InlineData("access what-if --remove bob@acme", "Name a CLIENT, or give --organization-wide")]
    [InlineData("access what-if desk --organization-wide --remove bob@acme", "Name a CLIENT, or give --organization-wide")]
    [InlineData("access what-if desk --remove bob --days 7", "'bob' is not an alias")]
    [InlineData("access what-if desk --remove bob@acme --days 0", "--days is between 1 and 365")]
    [InlineData("access what-if desk --acl maybe", "maybe")]
    public async Task UsageErrors_Exit2BeforeAnythingIsSent(string commandLine, string message)
    {
        using var console = SignedIn();

        var exitCode = await console.RunAsync(commandLine.Split(' '));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }
}
