using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary><c>control org acl list|add|remove</c> against a scripted server: which endpoint each calls with what body, and what it prints.</summary>
public sealed class OrganizationAclCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static TestConsole SignedIn() => TestConsole.SignedIn(Now, "alice", "owner");

    // As the API writes it (reflection-based, web defaults): the viewer reads it with its source-generated metadata.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    private static ClientChangeRequest Sent(TestConsole console) =>
        JsonSerializer.Deserialize<ClientChangeRequest>(Assert.Single(console.Server.Requests).Body, ApiClient.Json)!;

    [Fact]
    public async Task List_ShowsTheEntriesAndTheOrganizationsVersion()
    {
        using var console = SignedIn();
        console.Server.On("GET /organization/acl", HttpStatusCode.OK, Json(new OrganizationAclView(["*-support@acme", "bob@acme"], 12)));

        var exitCode = await console.RunAsync("org", "acl", "list");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            string.Join(Environment.NewLine,
                "Organization-wide ACL (version 12): every client whose ACL is on admits these besides its own entries",
                "  *-support@acme",
                "  bob@acme"),
            console.Out.TrimEnd());
    }

    [Fact]
    public async Task List_Empty_SaysSo()
    {
        using var console = SignedIn();
        console.Server.On("GET /organization/acl", HttpStatusCode.OK, Json(new OrganizationAclView([], 3)));

        var exitCode = await console.RunAsync("org", "acl", "list");

        Assert.Equal(0, exitCode);
        Assert.Equal("No organization-wide ACL entries (version 3): each client admits only its own.", console.Out.Trim());
    }

    [Fact]
    public async Task List_Json_WritesTheView()
    {
        using var console = SignedIn();
        console.Server.On("GET /organization/acl", HttpStatusCode.OK, Json(new OrganizationAclView(["*@acme"], 4)));

        var exitCode = await console.RunAsync("org", "acl", "list", "--json");

        Assert.Equal(0, exitCode);
        var written = JsonSerializer.Deserialize<OrganizationAclView>(console.Out, ApiClient.Json)!;
        Assert.Equal(["*@acme"], written.Entries);
        Assert.Equal((4L, false), (written.Version, written.Changed));
    }

    [Fact]
    public async Task Add_SendsTheNormalizedEntryReasonAndExpectedVersion()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/add", HttpStatusCode.OK, Json(new OrganizationAclView(["*-support@acme"], 8, true)));

        var exitCode = await console.RunAsync("org", "acl", "add", "*-Support@acme", "--reason", "support team", "--expected-version", "7");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("support team", 7, Entry: "*-support@acme", AllowEveryone: false), Sent(console));
        Assert.Equal(
            "Added *-support@acme to the organization-wide ACL (version 8): every client's next policy carries the change.", console.Out.Trim());
    }

    [Fact]
    public async Task Add_Json_WritesTheViewAfterTheChange()
    {
        using var console = SignedIn();
        var response = new OrganizationAclView(["*-support@acme", "bob@acme"], 9, true);
        console.Server.On("POST /organization/acl/add", HttpStatusCode.OK, Json(response));

        var exitCode = await console.RunAsync("org", "acl", "add", "bob@acme", "--reason", "bob helps", "--json");

        Assert.Equal(0, exitCode);
        var written = JsonSerializer.Deserialize<OrganizationAclView>(console.Out, ApiClient.Json)!;
        Assert.Equal(response.Entries, written.Entries);
        Assert.Equal((9L, true), (written.Version, written.Changed));
    }

    [Fact]
    public async Task Add_Everyone_SendsTheConfirmation()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/add", HttpStatusCode.OK, Json(new OrganizationAclView(["*"], 5, true)));

        var exitCode = await console.RunAsync("org", "acl", "add", "*", "--allow-everyone", "--reason", "open day");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("open day", Entry: "*", AllowEveryone: true), Sent(console));
    }

    [Fact]
    public async Task Add_EveryoneUnconfirmed_Exits1WithTheServersReasonAndTheConfirmingOption()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/add", HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"detail":"'*' admits anyone at all, on every client; confirm it explicitly (--allow-everyone) if that is really meant.","code":"acl.everyone_not_confirmed"}""");

        var exitCode = await console.RunAsync("org", "acl", "add", "*", "--reason", "open it");

        Assert.Equal(1, exitCode);
        Assert.Equal(new ClientChangeRequest("open it", Entry: "*", AllowEveryone: false), Sent(console));
        Assert.Contains("error: The request is not valid: '*' admits anyone at all", console.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-everyone", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", console.Error, StringComparison.Ordinal);
        Assert.Equal("", console.Out);
    }

    [Fact]
    public async Task Add_FieldErrors_AreShownAsTheArgumentsTheUserTyped()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/add", HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"errors":{"entry":["An entry is required."],"reason":["A reason is required for every security change."]}}""");

        var exitCode = await console.RunAsync("org", "acl", "add", "bob@acme", "--reason", " ");

        Assert.Equal(1, exitCode);
        Assert.Contains("  ENTRY: An entry is required.", console.Error, StringComparison.Ordinal);
        Assert.Contains("  --reason: A reason is required for every security change.", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_SendsTheEntryAndSaysWhatChanged()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/remove", HttpStatusCode.OK, Json(new OrganizationAclView([], 10, true)));

        var exitCode = await console.RunAsync("org", "acl", "remove", "BOB@acme", "--reason", "bob left");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("bob left", Entry: "bob@acme"), Sent(console));
        Assert.Equal(
            "Removed bob@acme from the organization-wide ACL (version 10): every client's next policy carries the change.", console.Out.Trim());
    }

    [Theory]
    [InlineData("add", "Nothing changed: bob@acme is already in the organization-wide ACL (version 10).")]
    [InlineData("remove", "Nothing changed: bob@acme is not in the organization-wide ACL (version 10).")]
    public async Task Change_AlreadySo_SaysNothingChanged(string verb, string expected)
    {
        using var console = SignedIn();
        console.Server.On($"POST /organization/acl/{verb}", HttpStatusCode.OK, Json(new OrganizationAclView(["*@acme"], 10)));

        var exitCode = await console.RunAsync("org", "acl", verb, "bob@acme", "--reason", "again");

        Assert.Equal(0, exitCode);
        Assert.Equal(expected, console.Out.Trim());
    }

    [Fact]
    public async Task Remove_StaleExpectedVersion_Exits1WithTheConflict()
    {
        using var console = SignedIn();
        console.Server.On("POST /organization/acl/remove", HttpStatusCode.Conflict,
            """{"title":"The resource was changed by someone else.","status":409,"detail":"Reload it and try again with the version you see."}""");

        var exitCode = await console.RunAsync("org", "acl", "remove", "bob@acme", "--reason", "bob left", "--expected-version", "3");

        Assert.Equal(1, exitCode);
        Assert.Equal(new ClientChangeRequest("bob left", 3, Entry: "bob@acme"), Sent(console));
        Assert.Equal("error: The resource was changed by someone else: Reload it and try again with the version you see.", console.Error.Trim());
    }

    [Theory]
    [InlineData("add", "*@acme")]
    [InlineData("remove", "*@acme")]
    public async Task Change_WithoutReason_Exits2AndSendsNothing(string verb, string entry)
    {
        using var console = SignedIn();

        var exitCode = await console.RunAsync("org", "acl", verb, entry);

        Assert.Equal(2, exitCode);
        Assert.Contains("'--reason' is required", console.Error, StringComparison.Ordinal);
        Assert.Contains($"Run 'control org acl {verb} --help' for usage.", console.Error, StringComparison.Ordinal);
        Assert.Equal("", console.Out);
        Assert.Empty(console.Server.Requests);
    }

    [Fact]
    public async Task Add_NotAnEntry_Exits2AndSendsNothing()
    {
        using var console = SignedIn();

        var exitCode = await console.RunAsync("org", "acl", "add", "alice", "--reason", "r");

        Assert.Equal(2, exitCode);
        Assert.Contains("'alice' is not an alias", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }
}
