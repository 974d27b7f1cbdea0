using Control.Domain.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>HR offboards a person from the browser: confirmation, live progress, and the report downloaded.</summary>
[Collection("portal")]
public sealed class OffboardingTests(PortalFixture portal)
{
    [Fact]
    public async Task Hr_OffboardsAPersonFromTheBrowser_WatchesItComplete_AndDownloadsTheReport()
    {
        var (leaverId, _) = await portal.Operator("xavier", "technician");
        var person = await portal.Call<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest("Xavier Leaver", "xavier@example.com", "hired"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest("xavier", null, null, "his account"), portal.OwnerToken);
        await portal.Operator("helen", "hr");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "helen");

        await page.GetByRole(AriaRole.Link, new() { Name = "Offboarding" }).ClickAsync();
        await page.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Xavier Leaver (xavier@example.com)" });
        await page.GetByLabel("Reason").FillAsync("left the company");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start offboarding…" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Offboard Xavier Leaver?" });
        await Expect(confirm).ToBeVisibleAsync();
        await PortalFixture.Screenshot(page, "offboarding-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, offboard Xavier Leaver" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Offboarding of Xavier Leaver" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("offboarding-status")).ToContainTextAsync("Status: completed", new() { Timeout = 60_000 });
        await PortalFixture.Screenshot(page, "offboarding-progress");

        var markdown = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the report (Markdown)" }).ClickAsync());
        var path = Path.Combine(PortalFixture.ArtifactsDirectory, "offboarding-report.md");
        await markdown.SaveAsAsync(path);
        Assert.StartsWith("# Offboarding of Xavier Leaver", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        var json = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the report (JSON)" }).ClickAsync());
        var jsonPath = Path.Combine(PortalFixture.ArtifactsDirectory, "offboarding-report.json");
        await json.SaveAsAsync(jsonPath);
        Assert.Contains("\"accessReview\"", await File.ReadAllTextAsync(jsonPath), StringComparison.Ordinal);

        // The step that disables his account ran.
        var operators = await portal.Call<List<OperatorSummary>>(HttpMethod.Get, "/operators", null, portal.OwnerToken);
        Assert.Equal("disabled", Assert.Single(operators, o => o.Id == leaverId).Status);
    }
}
