using System.Net;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

/// <summary>The client settings verbs against a scripted server: which endpoint each calls with what body, and what it prints.</summary>
public sealed class ClientCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid KioskId = Guid.Parse("0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d7e");

    private static TestConsole SignedIn(params string[] inputLines)
    {
        var console = new TestConsole(inputLines) { Now = Now };
        new CredentialStore(console.ConfigDirectory).Save(new Credentials(
            new Uri("http://127.0.0.1:8080"), "acme", "alice", "owner", "access", Now.AddMinutes(10), "refresh", Now.AddDays(7)));
        return console;
    }

    // As the API writes it (reflection-based, web defaults): the viewer reads it with its source-generated metadata.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    private static ClientChangeRequest Sent(TestConsole console, int index = 0) =>
        JsonSerializer.Deserialize<ClientChangeRequest>(console.Server.Requests[index].Body, ApiClient.Json)!;

    private static ClientDetail Detail() => new(
        new ClientSummary(KioskId, "123456789", "kiosk1@acme", "front-desk", "active", true, ["kiosk", "lobby"], 12, 11, Now.AddMinutes(-3), 7),
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Now.AddDays(-30), true, ["*-support@acme", "bob@acme"],
        true, false, true, 2, false, new PolicyPermissions(true, false, true, ["control-session"]));

    [Fact]
    public async Task Show_RendersEverySettingOfTheClient()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients/kiosk1", HttpStatusCode.OK, Json(Detail()));

        var exitCode = await console.RunAsync("clients", "show", "kiosk1");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            """
            number:      123456789
            alias:       kiosk1@acme
            hostname:    front-desk
            id:          0193a5f0-7c2e-7d4a-9b1e-2f3a4b5c6d7e
            status:      active
            tags:        kiosk, lobby
            enrolled:    2026-10-26 12:00:00Z
            last seen:   2026-11-25 11:57:00Z
            policy:      version 12; the agent still enforces version 11
            key:         SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
            version:     7 (for --expected-version)
            acl:         on: only viewers matching an entry below are admitted
                           *-support@acme
                           bob@acme
            unattended:  on, password set, exclusive off
            tokens:      epoch 2 (remembered tokens from earlier epochs are void)
            2fa:         off
            permissions: exec on, shell off, file transfer on
            logins:      control-session (default)
            """.ReplaceLineEndings(),
            console.Out.TrimEnd().ReplaceLineEndings());
        Assert.Equal("Bearer access", console.Server.Requests[0].Authorization);
    }

    [Fact]
    public async Task Show_Json_WritesTheDetailAsTheServerSentIt()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients/123456789", HttpStatusCode.OK, Json(Detail()));

        var exitCode = await console.RunAsync("clients", "show", "123456789", "--json");

        Assert.Equal(0, exitCode);
        var shown = JsonSerializer.Deserialize<ClientDetail>(console.Out, ApiClient.Json)!;
        Assert.Equal(Json(Detail()), Json(shown));
    }

    [Fact]
    public async Task Show_UnknownClient_Exits1NamingWhatWasTyped()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients/kiosk9", HttpStatusCode.NotFound,
            """{"title":"Not found.","status":404,"detail":"No client with that identifier exists in your organization."}""");

        var exitCode = await console.RunAsync("clients", "show", "kiosk9");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("error: there is no client 'kiosk9' in acme", console.Error, StringComparison.Ordinal);
        Assert.Contains("control clients list", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsOneRowPerClientWithPolicyVersions()
    {
        using var console = SignedIn();
        var detail = Detail();
        var free = new ClientSummary(Guid.NewGuid(), "987654321", null, null, "active", false, [], 3, null, null, 1);
        console.Server.On("GET /clients", HttpStatusCode.OK, Json(new[] { detail.Summary with { Online = true }, free }));

        var exitCode = await console.RunAsync("clients", "list");

        Assert.Equal(0, exitCode);
        var lines = console.Out.TrimEnd().ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NUMBER\s+ALIAS\s+HOSTNAME\s+STATUS\s+TAGS\s+POLICY\s+LAST SEEN\s+VERSION$", lines[0]);
        Assert.Matches(@"^123456789\s+kiosk1@acme\s+front-desk\s+active\s+kiosk,lobby\s+12/11\s+2026-11-25 11:57:00Z \(online\)\s+7$", lines[1]);
        Assert.Matches(@"^987654321\s+-\s+-\s+active \(unlicensed\)\s+-\s+3/-\s+never\s+1$", lines[2]);
    }

    [Fact]
    public async Task List_WithTagAndRemoved_AsksTheServerToFilter()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients", HttpStatusCode.OK, "[]");

        var exitCode = await console.RunAsync("clients", "list", "--tag", "Kiosk", "--removed");

        Assert.Equal(0, exitCode);
        Assert.Equal("No clients with the tag 'kiosk'.", console.Out.Trim());
        Assert.Single(console.Server.Requests);
        Assert.Equal(("GET /clients", "?tag=kiosk&removed=true"), (console.Server.Requests[0].Route, console.Server.Requests[0].Query));
    }

    [Fact]
    public async Task AclList_ShowsStateAndEntries()
    {
        using var console = SignedIn();
        console.Server.On("GET /clients/kiosk1", HttpStatusCode.OK, Json(Detail()));

        var exitCode = await console.RunAsync("acl", "list", "kiosk1");

        Assert.Equal(0, exitCode);
        Assert.Equal(
            string.Join(Environment.NewLine,
                "ACL of kiosk1 (123456789): on: only viewers matching an entry below are admitted (version 7)",
                "  *-support@acme",
                "  bob@acme"),
            console.Out.TrimEnd());
    }

    [Fact]
    public async Task RotatePassword_ServerGenerated_SendsNoPasswordAndPrintsTheRevealedOneOnce()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/unattended-password", HttpStatusCode.OK,
            Json(new ClientChangeResponse(KioskId, "123456789", 9, true, "K7QX-M2PD-ABCD-EFGH-JKMN")));

        var exitCode = await console.RunAsync("unattended", "rotate-password", "kiosk1", "--reason", "quarterly rotation");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("quarterly rotation"), Sent(console));
        Assert.Equal(
            string.Join(Environment.NewLine,
                "Set a new unattended password for kiosk1 (123456789); the old one no longer works (version 9).",
                "",
                "Unattended password (give it only to whoever needs unattended access; it is shown only now, the server keeps only a verifier):",
                "",
                "    K7QX-M2PD-ABCD-EFGH-JKMN"),
            console.Out.TrimEnd());
    }

    [Fact]
    public async Task RotatePassword_Json_IncludesTheRevealedPassword()
    {
        using var console = SignedIn();
        var response = new ClientChangeResponse(KioskId, "123456789", 9, true, "K7QX-M2PD-ABCD-EFGH-JKMN");
        console.Server.On("POST /clients/kiosk1/unattended-password", HttpStatusCode.OK, Json(response));

        var exitCode = await console.RunAsync("unattended", "rotate-password", "kiosk1", "--reason", "rotation", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal(response, JsonSerializer.Deserialize<ClientChangeResponse>(console.Out, ApiClient.Json));
    }

    [Fact]
    public async Task RotatePassword_Prompted_SendsTheTypedPasswordAndNeverPrintsIt()
    {
        using var console = SignedIn("Harbor-Lantern-Copper-77", "Harbor-Lantern-Copper-77");
        console.Server.On("POST /clients/kiosk1/unattended-password", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 9, true)));

        var exitCode = await console.RunAsync("unattended", "rotate-password", "kiosk1", "--reason", "handover", "--password-prompt", "--expected-version", "8");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("handover", 8, Password: "Harbor-Lantern-Copper-77"), Sent(console));
        Assert.Contains("New unattended password for kiosk1: ", console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Harbor-Lantern", console.Out + console.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("shown only now", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotatePassword_PromptedDifferently_Exits1AndSendsNothing()
    {
        using var console = SignedIn("Harbor-Lantern-Copper-77", "Harbor-Lantern-Copper-78");

        var exitCode = await console.RunAsync("unattended", "rotate-password", "kiosk1", "--reason", "handover", "--password-prompt");

        Assert.Equal(1, exitCode);
        Assert.Contains("the two passwords differ", console.Error, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }

    [Fact]
    public async Task AclAdd_OneClient_SendsEntryAndExpectedVersion()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/acl-add", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync("acl", "add", "kiosk1", "*-Support@acme", "--reason", "support team", "--expected-version", "7");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("support team", 7, Entry: "*-support@acme", AllowEveryone: false), Sent(console));
        Assert.Equal("Added *-support@acme to the ACL of kiosk1 (123456789) (version 8).", console.Out.Trim());
    }

    [Fact]
    public async Task AclAdd_AlreadyThere_SaysNothingChanged()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/123456789/acl-add", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 7, false)));

        var exitCode = await console.RunAsync("acl", "add", "123456789", "bob@acme", "--reason", "again");

        Assert.Equal(0, exitCode);
        Assert.Equal("Nothing changed: bob@acme is already in the ACL of client 123456789 (version 7).", console.Out.Trim());
    }

    [Fact]
    public async Task AclAdd_EveryoneRefused_Exits1WithTheServersReasonAndTheConfirmingOption()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/acl-add", HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"detail":"'*' admits anyone at all; confirm it explicitly (--allow-everyone) if that is really meant.","code":"acl.everyone_not_confirmed"}""");

        var exitCode = await console.RunAsync("acl", "add", "kiosk1", "*", "--reason", "open it");

        Assert.Equal(1, exitCode);
        Assert.Equal(new ClientChangeRequest("open it", Entry: "*", AllowEveryone: false), Sent(console));
        Assert.Contains("error: The request is not valid: '*' admits anyone at all", console.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-everyone", console.Error, StringComparison.Ordinal);
        Assert.Equal("", console.Out);
    }

    [Fact]
    public async Task AclAdd_FieldErrors_AreShownAsTheArgumentsTheUserTyped()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/acl-add", HttpStatusCode.BadRequest,
            """{"title":"The request is not valid.","status":400,"errors":{"entry":["Bad entry."],"reason":["Too long."]}}""");

        var exitCode = await console.RunAsync("acl", "add", "kiosk1", "bob@acme", "--reason", "x");

        Assert.Equal(1, exitCode);
        Assert.Contains("  ENTRY: Bad entry.", console.Error, StringComparison.Ordinal);
        Assert.Contains("  --reason: Too long.", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AclAdd_Bulk_CallsTheBulkEndpointAndPrintsOneLinePerClientAndTheCorrelationId()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/bulk/acl-add", HttpStatusCode.OK, Json(new BulkChangeResponse("corr-42",
        [
            new ClientChangeResponse(KioskId, "123456789", 8, true),
            new ClientChangeResponse(Guid.NewGuid(), "987654321", 4, false),
        ])));

        var exitCode = await console.RunAsync("acl", "add", "--where", "tag=Kiosk", "*-support@acme", "--reason", "support team");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("support team", Entry: "*-support@acme", AllowEveryone: false, Tag: "kiosk"), Sent(console));
        Assert.Equal(
            string.Join(Environment.NewLine,
                "Added *-support@acme to the ACL of client 123456789 (version 8).",
                "Nothing changed: *-support@acme is already in the ACL of client 987654321 (version 4).",
                "",
                "1 of 2 client(s) with the tag 'kiosk' changed.",
                "Correlation id: corr-42 (all of these changes: control audit events --correlation corr-42)"),
            console.Out.TrimEnd());
    }

    [Fact]
    public async Task RotatePassword_Bulk_PrintsEachGeneratedPasswordOnce()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/bulk/unattended-password", HttpStatusCode.OK, Json(new BulkChangeResponse("corr-7",
        [
            new ClientChangeResponse(KioskId, "123456789", 8, true, "AAAA-BBBB-CCCC-DDDD-EEEE"),
            new ClientChangeResponse(Guid.NewGuid(), "987654321", 5, true, "FFFF-GGGG-HHHH-JJJJ-KKKK"),
        ])));

        var exitCode = await console.RunAsync("unattended", "rotate-password", "--where", "tag=kiosk", "--reason", "rotation");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("rotation", Tag: "kiosk"), Sent(console));
        Assert.Contains("they are shown only now", console.Out, StringComparison.Ordinal);
        Assert.Contains("    123456789  AAAA-BBBB-CCCC-DDDD-EEEE", console.Out, StringComparison.Ordinal);
        Assert.Contains("    987654321  FFFF-GGGG-HHHH-JJJJ-KKKK", console.Out, StringComparison.Ordinal);
        Assert.Equal(2, console.Out.Split("AAAA-BBBB-CCCC-DDDD-EEEE").Length);
    }

    [Fact]
    public async Task Bulk_NoClientHasTheTag_SaysSo()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/bulk/tokens-clear", HttpStatusCode.OK, Json(new BulkChangeResponse("corr-0", [])));

        var exitCode = await console.RunAsync("tokens", "clear", "--where", "tag=nowhere", "--reason", "incident");

        Assert.Equal(0, exitCode);
        Assert.Equal("No active client has the tag 'nowhere'; nothing changed.", console.Out.Trim());
    }

    [Fact]
    public async Task Tag_Bulk_TakesEveryPositionalAsATag()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/bulk/tags", HttpStatusCode.OK, Json(new BulkChangeResponse("corr-1", [new ClientChangeResponse(KioskId, "123456789", 8, true)])));

        var exitCode = await console.RunAsync("clients", "tag", "--where", "tag=old", "new", "Lobby,floor-2", "--reason", "retag");

        Assert.Equal(0, exitCode);
        var sent = Sent(console);
        Assert.Equal(("old", "retag"), (sent.Tag, sent.Reason));
        Assert.Equal(["floor-2", "lobby", "new"], sent.Tags);
        Assert.Contains("Set the tags of client 123456789 to floor-2, lobby, new (version 8).", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tag_Clear_SendsAnEmptyList()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/tags", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync("clients", "tag", "kiosk1", "--clear", "--reason", "decommissioned");

        Assert.Equal(0, exitCode);
        Assert.Equal([], Sent(console).Tags);
        Assert.Equal("Removed every tag from kiosk1 (123456789) (version 8).", console.Out.Trim());
    }

    [Theory]
    [InlineData("on", "off", "on", true, false, true)]
    [InlineData("off", "on", "off", false, true, false)]
    public async Task PermissionsSet_SendsAllThree(string exec, string shell, string fileTransfer, bool execOn, bool shellOn, bool fileTransferOn)
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/permissions", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync(
            "permissions", "set", "kiosk1", "--exec", exec, "--shell", shell, "--file-transfer", fileTransfer, "--reason", "least privilege");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("least privilege", Exec: execOn, Shell: shellOn, FileTransfer: fileTransferOn), Sent(console));
        Assert.Equal(
            $"Sessions on kiosk1 (123456789) may now: exec {exec}, shell {shell}, file transfer {fileTransfer} (version 8).", console.Out.Trim());
    }

    [Fact]
    public async Task PermissionsLogins_SendsTheListInOrderAndTheRootConfirmation()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/logins", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync(
            "permissions", "logins", "kiosk1", "--login", "ops", "--login", "root", "--allow-root", "--reason", "maintenance");

        Assert.Equal(0, exitCode);
        var sent = Sent(console);
        Assert.Equal(["ops", "root"], sent.Logins);
        Assert.True(sent.AllowRoot);
        Assert.Equal("Sessions on kiosk1 (123456789) may now run as: ops, root (default ops) (version 8).", console.Out.Trim());
    }

    [Fact]
    public async Task Exclusive_Off_SendsFalse()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/unattended-exclusive", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync("unattended", "exclusive", "kiosk1", "--off", "--reason", "staff on site");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("staff on site", Exclusive: false), Sent(console));
    }

    [Fact]
    public async Task Exclusive_WithoutPassword_Exits1WithTheConflict()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/unattended-exclusive", HttpStatusCode.Conflict,
            """{"title":"The request conflicts with the current state.","status":409,"detail":"Exclusive unattended access needs an unattended password first (control unattended rotate-password).","code":"unattended.no_password"}""");

        var exitCode = await console.RunAsync("unattended", "exclusive", "kiosk1", "--on", "--reason", "lock down");

        Assert.Equal(1, exitCode);
        Assert.Contains("control unattended rotate-password", console.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_ClientAliasedBulk_IsQualifiedSoItDoesNotHitTheBulkEndpoint()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/bulk%40acme/acl-enable", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 8, true)));

        var exitCode = await console.RunAsync("acl", "enable", "bulk", "--reason", "lock");

        Assert.Equal(0, exitCode);
        Assert.Equal("POST /clients/bulk%40acme/acl-enable", console.Server.Requests[0].Route);
    }

    [Fact]
    public async Task ClientTwoFactorEnroll_PrintsSecretUriAndQrAndHowToConfirm()
    {
        using var console = SignedIn();
        const string uri = "otpauth://totp/Control:kiosk1%40acme?secret=JBSWY3DPEHPK3PXP&issuer=Control";
        console.Server.On("POST /clients/kiosk1/2fa/enroll", HttpStatusCode.OK, Json(new ClientTwoFactorEnrollmentResponse("JBSWY3DPEHPK3PXP", uri)));

        var exitCode = await console.RunAsync("client-2fa", "enroll", "kiosk1", "--reason", "second factor");

        Assert.Equal(0, exitCode);
        Assert.Equal("second factor", JsonSerializer.Deserialize<ReasonRequest>(console.Server.Requests[0].Body, ApiClient.Json)!.Reason);
        Assert.Contains($"URI:    {uri}", console.Out, StringComparison.Ordinal);
        Assert.Contains("Secret: JBSWY3DPEHPK3PXP", console.Out, StringComparison.Ordinal);
        Assert.Contains("█", console.Out, StringComparison.Ordinal);
        Assert.Contains("control client-2fa confirm kiosk1 CODE --reason TEXT", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientTwoFactorConfirm_SendsTheCodeWithoutSpaces()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/2fa/confirm", HttpStatusCode.OK, Json(new ClientChangeResponse(KioskId, "123456789", 9, true)));

        var exitCode = await console.RunAsync("client-2fa", "confirm", "kiosk1", "123 456", "--reason", "second factor");

        Assert.Equal(0, exitCode);
        Assert.Equal(new ClientChangeRequest("second factor", Code: "123456"), Sent(console));
        Assert.Equal("Two-factor authentication is on for unattended access to kiosk1 (123456789) (version 9).", console.Out.Trim());
    }

    [Fact]
    public async Task LicenseReset_PrintsTheNewKeyOnce()
    {
        using var console = SignedIn();
        console.Server.On("POST /license/reset", HttpStatusCode.OK, Json(new LicenseKeyResponse("ctl-lic.acme.NEWKEY")));

        var exitCode = await console.RunAsync("license", "reset", "--reason", "leaked in a ticket");

        Assert.Equal(0, exitCode);
        Assert.Equal("leaked in a ticket", JsonSerializer.Deserialize<ReasonRequest>(console.Server.Requests[0].Body, ApiClient.Json)!.Reason);
        Assert.Contains("it is shown only now", console.Out, StringComparison.Ordinal);
        Assert.Contains("    ctl-lic.acme.NEWKEY", console.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_StaleExpectedVersion_Exits1WithTheConflict()
    {
        using var console = SignedIn();
        console.Server.On("POST /clients/kiosk1/remove", HttpStatusCode.Conflict,
            """{"title":"The resource was changed by someone else.","status":409,"detail":"Reload it and try again with the version you see."}""");

        var exitCode = await console.RunAsync("clients", "remove", "kiosk1", "--reason", "sold", "--expected-version", "3");

        Assert.Equal(1, exitCode);
        Assert.Equal(new ClientChangeRequest("sold", 3), Sent(console));
        Assert.Equal("error: The resource was changed by someone else: Reload it and try again with the version you see.", console.Error.Trim());
    }
}
