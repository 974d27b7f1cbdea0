using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>The organization-wide ACL entries from the browser: listed, added and removed with a reason and the API's previews; the what-if of a change.</summary>
[Collection("portal")]
public sealed class OrganizationAclTests(PortalFixture portal)
{
    [Fact]
    public async Task SecurityAdmin_AddsAnEntryWithAReason_SeesItListedAndPreviewed_AndRemovesIt()
    {
        await portal.Operator("oscar", "security-admin");
        await portal.Operator("olaf", "technician");
        // A client with its ACL on and nothing of its own in it, and a session olaf had on it: the removal's what-if must name it.
        var alias = "depot" + Guid.NewGuid().ToString("N")[..6];
        var client = await portal.EnrollClient(alias);
        await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.ClientId}/acl-enable", new ClientChangeRequest("depot locked down"), portal.OwnerToken);
        var session = Guid.CreateVersion7();
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        await portal.ReportSession(client,
            new SessionRequested(session, client.ClientId, "olaf@acme", "01AB", "192.0.2.8:50000", "Tls13", "TLS_AES_256_GCM_SHA384", null, at),
            new SessionAuthenticated(session, client.ClientId, "olaf@acme", ["acl"], null, at.AddSeconds(1)),
            new SessionClosed(session, client.ClientId, "viewer", null, 10_000, 0, 0, at.AddSeconds(12)));
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "oscar");
        await page.GetByRole(AriaRole.Link, new() { Name = "Organization ACL" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Organization ACL", Level = 1 })).ToBeVisibleAsync();
        var entries = page.GetByRole(AriaRole.List, new() { Name = "Organization-wide entries" });

        // "*" alone is offered only with the explicit confirmation that it means anyone at all.
        var add = page.GetByRole(AriaRole.Button, new() { Name = "Add entry" });
        await page.GetByLabel("Entry to add").FillAsync("*");
        await Expect(add).ToBeDisabledAsync();
        await page.GetByLabel("Yes, I mean everyone").CheckAsync();
        await Expect(add).ToBeEnabledAsync();

        await page.GetByLabel("Reason for the change").FillAsync("olaf covers every site");
        await page.GetByLabel("Entry to add").FillAsync("olaf@acme");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync("olaf@acme: operator (technician)");
        await Expect(page.GetByTestId("org-acl-preview")).ToContainTextAsync("With olaf@acme added on every client, of");
        await add.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Added olaf@acme" })).ToBeVisibleAsync();
        await Expect(entries).ToContainTextAsync("olaf@acme");

        await page.GetByLabel("Reason for the change").FillAsync("olaf moved to one site");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove olaf@acme…" }).ClickAsync();
        var removal = page.GetByTestId("org-acl-removal-preview");
        await Expect(removal).ToContainTextAsync("Without olaf@acme on every client, of");
        await Expect(removal.GetByRole(AriaRole.List, new() { Name = "Sessions it would have refused" })).ToContainTextAsync($"{alias}@acme: olaf@acme, ");
        await PortalFixture.Screenshot(page, "organization-acl");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, remove olaf@acme" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Removed olaf@acme" })).ToBeVisibleAsync();
        await Expect(entries).ToHaveCountAsync(0);

        var removals = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?type=OrganizationAclEntryRemoved&limit=1", null, portal.OwnerToken);
        Assert.Equal("olaf moved to one site", Assert.Single(removals.Items).Reason);
    }

    [Fact]
    public async Task Auditor_SeesTheEntriesWithoutChanges_AndAsksTheWhatIfOnTheAuditPage()
    {
        await portal.Operator("otto", "auditor");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "otto");
        await page.GetByRole(AriaRole.Link, new() { Name = "Organization ACL" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Organization-wide entries" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Entry to add")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Reason for the change")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove") })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true }).First.ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Propose an ACL change" });
        await form.GetByLabel("Entries to remove").FillAsync("nobody@acme");
        await form.GetByRole(AriaRole.Button, new() { Name = "Check the last 30 days" }).ClickAsync();
        await Expect(page.GetByTestId("whatif-answer")).ToContainTextAsync("For the organization-wide entries, of");

        // The organization-wide entries have no on/off switch: the API's refusal is shown.
        await form.GetByLabel("The client's ACL").SelectOptionAsync("on");
        await form.GetByRole(AriaRole.Button, new() { Name = "Check the last 30 days" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no on/off switch");
    }
}
