using Control.Domain.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>After an offboarding is started: cancelling a scheduled one, and revealing the secrets one sealed, from the browser.</summary>
[Collection("portal")]
public sealed class OffboardingActionsTests(PortalFixture portal)
{
    [Fact]
    public async Task Hr_SchedulesAnOffboarding_CancelsItWithAReason_AndThePersonStaysActive()
    {
        await portal.Operator("gina", "technician");
        var person = await portal.Call<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest("Gina Staying", "gina@example.com", "hired"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest("gina", null, null, "her account"), portal.OwnerToken);
        await portal.Operator("hedy", "hr");
        await portal.Operator("inga", "auditor");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "hedy");

        await page.GetByRole(AriaRole.Link, new() { Name = "Offboarding" }).ClickAsync();
        await page.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Gina Staying (gina@example.com)" });
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("leaving at the end of the month");
        await page.GetByLabel("Start at (optional)").FillAsync(DateTime.Now.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Start offboarding…" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Offboard Gina Staying?" });
        await Expect(confirm).ToContainTextAsync("can be cancelled until then");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, offboard Gina Staying" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Offboarding of Gina Staying" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("offboarding-status")).ToContainTextAsync("Status: scheduled");
        var offboardingUrl = page.Url;
        var cancel = page.GetByRole(AriaRole.Button, new() { Name = "Cancel the offboarding…" });
        await Expect(cancel).ToBeDisabledAsync();
        await page.GetByLabel("Reason for cancelling").FillAsync("she stays after all");
        await cancel.ClickAsync();
        var sure = page.GetByRole(AriaRole.Dialog, new() { Name = "Cancel the offboarding of Gina Staying?" });
        await Expect(sure).ToBeVisibleAsync();
        await PortalFixture.Screenshot(page, "offboarding-cancel-confirm");
        await sure.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel it" }).ClickAsync();

        await Expect(page.GetByTestId("offboarding-status")).ToContainTextAsync("Status: cancelled");
        await Expect(cancel).ToHaveCountAsync(0);
        await PortalFixture.Screenshot(page, "offboarding-cancelled");
        Assert.Equal("active", (await portal.Call<PersonResponse>(HttpMethod.Get, $"/people/{person.Id}", null, portal.OwnerToken)).Status);
        var cancelled = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?type=OffboardingCancelled&actor=hedy@acme", null, portal.OwnerToken);
        Assert.Equal("she stays after all", Assert.Single(cancelled.Items).Reason);

        // An auditor may not offboard, so neither the page nor its Cancel is there for them.
        var auditor = await portal.NewPage();
        await SignInTests.SignIn(auditor, "inga");
        await Expect(auditor.GetByRole(AriaRole.Link, new() { Name = "Offboarding" })).ToHaveCountAsync(0);
        await auditor.GotoAsync(offboardingUrl);
        await Expect(auditor.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Expect(auditor.GetByRole(AriaRole.Button, new() { Name = "Cancel the offboarding…" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SecurityAdmin_RevealsTheNewUnattendedPasswordFromTheOffboarding_OnceAndRecorded_HrSeesNoReveal()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var door = "door" + tag;
        var client = await portal.EnrollClient(door);
        await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.ClientId}/unattended-password", new ClientChangeRequest("set up"), portal.OwnerToken);
        await portal.Operator("pavel", "technician");
        var person = await portal.Call<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest("Pavel Leaver", null, "hired"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest("pavel", null, null, "his account"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("unattended-password", door, "he set the door up"), portal.OwnerToken);
        // No agent runs for the client: a short receipt deadline lets the offboarding finish (with that receipt pending).
        var started = await portal.Call<OffboardingResponse>(HttpMethod.Post, "/offboardings",
            new StartOffboardingRequest(person.Id.ToString(), "left the company", "exposure", null, 2), portal.OwnerToken);
        await portal.Operator("quinn", "security-admin");
        await portal.Operator("hollis", "hr");
        var label = $"new unattended password of {door}@acme";

        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "quinn");
        await page.GotoAsync($"/#/offboardings/{started.Id}");
        await Expect(page.GetByTestId("offboarding-status")).ToContainTextAsync("Status: completed-with-pending", new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel the offboarding…" })).ToHaveCountAsync(0);
        var secret = page.GetByTestId("sealed-secret");
        await Expect(secret).ToHaveCountAsync(1);
        await Expect(secret).ToContainTextAsync(label);
        await Expect(page.GetByText("Revealing one is recorded")).ToBeVisibleAsync();
        await page.GetByLabel("Reason for revealing").FillAsync("handing the door over to facilities");
        await secret.GetByRole(AriaRole.Button, new() { Name = $"Reveal the {label}" }).ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"The {label}" });
        await Expect(dialog).ToContainTextAsync("This reveal is recorded in the audit trail");
        var password = await dialog.GetByTestId("revealed-secret").TextContentAsync();
        Assert.True(password is { Length: >= 12 }, $"revealed: {password}");
        await PortalFixture.Screenshot(page, "offboarding-reveal-sealed-secret");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        Assert.DoesNotContain(password!, await page.ContentAsync(), StringComparison.Ordinal);

        // The audit log shows it: who, why.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var rows = await AuditTests.FilterChanges(page, "SecretRevealed", "quinn@acme");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("SecretRevealed");
        await Expect(rows.First).ToContainTextAsync("handing the door over to facilities");
        await PortalFixture.Screenshot(page, "offboarding-reveal-audit");

        // HR sees what was sealed, but revealing is for owners and security admins (the API's manage-clients policy).
        var hr = await portal.NewPage();
        await SignInTests.SignIn(hr, "hollis");
        await hr.GotoAsync($"/#/offboardings/{started.Id}");
        await Expect(hr.GetByTestId("sealed-secret")).ToContainTextAsync(label);
        await Expect(hr.GetByRole(AriaRole.Button, new() { Name = $"Reveal the {label}" })).ToHaveCountAsync(0);
        await Expect(hr.GetByLabel("Reason for revealing")).ToHaveCountAsync(0);
    }
}
