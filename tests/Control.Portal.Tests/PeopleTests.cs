using Control.Domain.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>HR records a person and links their aliases and client (a security admin links the operator account); the access review answers now and as of a past day.</summary>
[Collection("portal")]
public sealed class PeopleTests(PortalFixture portal)
{
    [Fact]
    public async Task Hr_AddsAPerson_LinksTheirAccountAliasAndClient_AndReadsTheAccessReviewNowAndAsOfADay()
    {
        await portal.Operator("zoe", "technician");
        await portal.Operator("harriet", "hr");
        var laptop = "laptop" + Guid.NewGuid().ToString("N")[..6];
        await portal.EnrollClient(laptop);
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "harriet");

        await page.GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync("Zoe Example");
        await page.GetByLabel("E-mail").FillAsync("zoe@example.com");
        await page.GetByLabel("Reason").FillAsync("hired");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Zoe Example" }).ClickAsync();

        // HR may link but not record knowledge (record-knowledge is for owners and security admins): not shown.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Link an account or client" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Record a secret they know" })).ToHaveCountAsync(0);
        // Linking an operator account takes the authority to manage it, which HR lacks (an owner or security admin links it below).
        await Link(page, "Operator account", "zoe", "her account");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not manage this operator");
        await Link(page, "Viewer alias or client number", "zoe.support@acme", "her support alias");
        await Expect(page.GetByText("Accounts: zoe.support@acme")).ToBeVisibleAsync();
        await Link(page, "Own client", laptop, "her laptop");
        await Expect(page.GetByText($"Own clients: {laptop}@acme")).ToBeVisibleAsync();
        // The API's refusal is shown at the field, and nothing is linked.
        await Link(page, "Own client", "no-such-client", "typo");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not found", new() { IgnoreCase = true });
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("Now:");
        await PortalFixture.Screenshot(page, "person");

        await page.GetByLabel("As of the end of (UTC day; empty for now)").FillAsync(DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("As of");
        await Expect(page.GetByTestId("reach-summary")).ToContainTextAsync("0 access paths");

        // A security admin records the shared portal login Zoe knew; her exposure lists it, for the offboarding to reset.
        await portal.Operator("frontdesk", "technician");
        await portal.Operator("selma", "security-admin");
        var admin = await portal.NewPage();
        await SignInTests.SignIn(admin, "selma");
        await admin.GotoAsync(page.Url);
        await Link(admin, "Operator account", "zoe", "her account");
        await Expect(admin.GetByText("Accounts:")).ToContainTextAsync("zoe@acme");
        await admin.GetByLabel("Secret", new() { Exact = true }).SelectOptionAsync("operator-password");
        await admin.GetByLabel("Username of the account").FillAsync("frontdesk");
        await admin.GetByLabel("Reason for recording").FillAsync("shared reception login");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Record" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Region, new() { Name = "Secrets Zoe Example knows now" }))
            .ToContainTextAsync("operator-password of frontdesk@acme");
        var events = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?actor=harriet@acme", null, portal.OwnerToken);
        Assert.Contains(events.Items, e => e.Type == "PersonClientLinked" && e.Reason == "her laptop");
    }

    private static async Task Link(IPage page, string kind, string value, string reason)
    {
        await page.GetByLabel("Kind of link").SelectOptionAsync(new SelectOptionValue { Label = kind });
        await page.GetByLabel(kind, new() { Exact = true }).FillAsync(value);
        await page.GetByLabel("Reason for the link").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Link", Exact = true }).ClickAsync();
    }
}
