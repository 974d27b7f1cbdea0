using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>The audit page: filters, the CSV export of what is filtered, the chain's verification, and recordings played.</summary>
[Collection("portal")]
public sealed class AuditTests(PortalFixture portal)
{
    /// <summary>On the audit page: filters the change log and returns its rows.</summary>
    internal static async Task<ILocator> FilterChanges(IPage page, string types, string actor, string? target = null)
    {
        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter the security changes" });
        await filters.GetByLabel("Event types").FillAsync(types);
        await filters.GetByLabel("Actor").FillAsync(actor);
        if (target is not null)
        {
            await filters.GetByLabel("Target").FillAsync(target);
        }

        await filters.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        return page.Locator("table.changes tbody tr");
    }

    [Fact]
    public async Task Filters_NarrowTheChangeLog_AndTheCsvExportHasExactlyThoseRows()
    {
        await portal.Operator("ursula", "auditor");
        await portal.Operator("victor", "technician");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "ursula");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var rows = await FilterChanges(page, "OperatorInvited", "alice@acme", "operator:victor");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("OperatorInvited");
        await Expect(rows.First).ToContainTextAsync("operator victor@acme");
        await Expect(rows.First).ToContainTextAsync("portal test");
        await PortalFixture.Screenshot(page, "audit");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV", Exact = true }).ClickAsync());
        var path = Path.Combine(PortalFixture.ArtifactsDirectory, "security-changes.csv");
        await download.SaveAsAsync(path);
        var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("sequence,timestamp,type,actor,target,reason,correlation_id", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines[1..]);
        Assert.Contains(",OperatorInvited,alice@acme,operator victor@acme,portal test,", row, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify the chain" }).ClickAsync();
        await Expect(page.GetByTestId("chain-result")).ToContainTextAsync("Intact:");

        // A signed anchor of the head, copied to keep outside Control; the API's verification accepts it afterwards.
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign an anchor of the head" }).ClickAsync();
        await Expect(page.GetByTestId("anchor-hash")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9a-f]{64}$"));
        var hash = await page.GetByTestId("anchor-hash").TextContentAsync();
        var entry = await page.GetByTestId("anchor-entry").TextContentAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy the hash" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(hash, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await PortalFixture.Screenshot(page, "audit-anchor");
        var check = await portal.Call<AuditChainVerification>(HttpMethod.Get, $"/audit/verify?anchorEntry={entry}&anchorHash={hash}", null, portal.OwnerToken);
        Assert.True(check.Anchor is { Matches: true }, check.Anchor?.Detail);
    }

    [Fact]
    public async Task ATechnician_IsNotShownTheAudit_AndTheApiRefusesTheExport()
    {
        await portal.Operator("walt", "technician");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "walt");

        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Audit" })).ToHaveCountAsync(0);
        var export = await page.APIRequest.GetAsync("/audit/events/export?format=csv");
        Assert.Equal(403, export.Status);
    }

    [Fact]
    public async Task ARecordedShell_PlaysInTheTerminalPlayer()
    {
        var (page, alias) = await AuditorWithARecordedShell("rita");
        var dialog = await OpenReplay(page, alias);
        var player = dialog.GetByTestId("replay-player");
        await Expect(player.Locator(".ap-player")).ToBeVisibleAsync();
        await Expect(player).ToContainTextAsync("root-of-the-kiosk", new() { Timeout = 20_000 });
        await Expect(player).Not.ToContainTextAsync("[1;32m");
        await Expect(dialog.GetByTestId("replay-output")).ToHaveCountAsync(0);
        await PortalFixture.Screenshot(page, "recording-player");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task ARecordedShell_IsReplayedAsText_WhenThePlayerCannotLoad()
    {
        var (page, alias) = await AuditorWithARecordedShell("rudi");
        // The player is a chunk of its own, fetched on the first replay (the app itself is loaded by now): refusing it is
        // what a proxy stripping the chunk, or a failed download, does.
        await page.RouteAsync("**/assets/chunk-*.js", route => route.AbortAsync());

        var dialog = await OpenReplay(page, alias);
        var output = dialog.GetByTestId("replay-output");
        await Expect(output).ToContainTextAsync("root-of-the-kiosk", new() { Timeout = 20_000 });
        await Expect(output).ToContainTextAsync("$ whoami");
        // Escape sequences are dropped, not printed.
        await Expect(output).Not.ToContainTextAsync("[1;32m");
        await Expect(dialog.GetByRole(AriaRole.Status)).ToHaveTextAsync("End of the recording.");
        await Expect(dialog.GetByTestId("replay-player")).ToHaveCountAsync(0);
        await PortalFixture.Screenshot(page, "recording-text-replay");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Restart" }).ClickAsync();
        await Expect(output).ToContainTextAsync("root-of-the-kiosk");
    }

    /// <summary>
    /// An auditor signed in, and a client that reported a shell session with its recording (colour escapes as a real shell
    /// prints them); returns the auditor's page and the client's alias.
    /// </summary>
    private async Task<(IPage Page, string Alias)> AuditorWithARecordedShell(string auditor)
    {
        await portal.Operator(auditor, "auditor");
        var alias = "kiosk" + Guid.NewGuid().ToString("N")[..6];
        var client = await portal.EnrollClient(alias);
        var session = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        SessionEvent[] events =
        [
            new SessionRequested(session, client.ClientId, "alice@acme", "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", null, at),
            new SessionAuthenticated(session, client.ClientId, "alice@acme", ["acl"], null, at.AddSeconds(1)),
            new SessionChannelOpened(session, client.ClientId, "shell", "/bin/bash", null, at.AddSeconds(2)),
            new SessionClosed(session, client.ClientId, "viewer", null, 10_000, 100, 2000, at.AddSeconds(12)),
        ];
        var cast = "{\"version\":2,\"width\":80,\"height\":24}\n[0.2,\"o\",\"$ whoami\\r\\n\"]\n[0.5,\"o\",\"\\u001b[1;32mroot-of-the-kiosk\\u001b[0m\\r\\n\"]\n";
        await portal.ReportSession(client, [.. events, SessionRecordingPart.Of(session, client.ClientId, 0, 0, Encoding.UTF8.GetBytes(cast), true, at.AddSeconds(12))]);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(cast));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-asciicast");
        await portal.CallAsAgent<JsonElement?>(HttpMethod.Put, $"/agent/sessions/{session}/recording/parts/0", content, client.Credential);
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, auditor);
        return (page, alias);
    }

    private static async Task<ILocator> OpenReplay(IPage page, string alias)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var row = page.Locator("table.sessions tbody tr").Filter(new() { HasText = alias });
        await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        return page.GetByRole(AriaRole.Dialog);
    }
}
