using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>HR records a person and links an account; the access review answers now and as of a past day.</summary>
[Collection("portal")]
public sealed class PeopleTests(PortalFixture portal)
{
    [Fact]
    public async Task Hr_AddsAPerson_LinksTheirAccount_AndReadsTheAccessReviewNowAndAsOfADay()
    {
        await portal.Operator("zoe", "technician");
        await portal.Operator("harriet", "hr");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "harriet");

        await page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Zoe Example");
        await page.GetByLabel("E-mail").FillAsync("zoe@example.com");
        await page.GetByLabel("Reason").FillAsync("hired");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Zoe Example" }).ClickAsync();

        await page.GetByLabel("Link an operator account").FillAsync("zoe");
        await page.GetByLabel("Reason").FillAsync("her account");
        await page.GetByRole(AriaRole.Button, new() { Name = "Link" }).ClickAsync();
        await Expect(page.GetByText("Accounts: zoe@acme")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("Now:");
        await PortalFixture.Screenshot(page, "person");

        await page.GetByLabel("As of the end of (UTC day; empty for now)").FillAsync(DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("As of");
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("0 access paths");
    }
}
