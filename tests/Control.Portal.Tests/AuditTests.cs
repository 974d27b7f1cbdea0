using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>The audit page: filters, the CSV export of what is filtered, and the chain's verification.</summary>
[Collection("portal")]
public sealed class AuditTests(PortalFixture portal)
{
    [Fact]
    public async Task Filters_NarrowTheChangeLog_AndTheCsvExportHasExactlyThoseRows()
    {
        await portal.Operator("ursula", "auditor");
        await portal.Operator("victor", "technician");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "ursula");

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter the security changes" });
        await filters.GetByLabel("Event types").FillAsync("OperatorInvited");
        await filters.GetByLabel("Actor").FillAsync("alice@acme");
        await filters.GetByLabel("Target").FillAsync("operator:victor");
        await filters.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var rows = page.Locator("table.changes tbody tr");
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
}
