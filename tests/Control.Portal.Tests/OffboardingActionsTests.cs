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
        // No agent runs for the client: a short receipt deadline lets the offboarding finish (with that receipt pending).
        var started = await OffboardSomeoneWhoKnows("pavel", "Pavel Leaver", "unattended-password", door);
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
        await Expect(secret.GetByTestId("sealed-secret-reveals")).ToHaveTextAsync("Not revealed to anyone yet.");
        await Expect(page.GetByText("Revealing one is recorded")).ToBeVisibleAsync();
        var password = await Reveal(page, label, "handing the door over to facilities", "offboarding-reveal-sealed-secret");
        Assert.True(password is { Length: >= 12 }, $"revealed: {password}");
        await PortalFixture.AssertSecretsGone(page, password);
        // The list now says who saw it and why (the API reads it from the SecretRevealed event).
        await Expect(secret.GetByTestId("sealed-secret-reveals")).ToContainTextAsync("Revealed to quinn@acme");
        await Expect(secret.GetByTestId("sealed-secret-reveals")).ToContainTextAsync("handing the door over to facilities");
        await PortalFixture.Screenshot(page, "offboarding-sealed-secret-revealed");

        // The audit log shows it: who, why.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var rows = await AuditTests.FilterChanges(page, "SecretRevealed", "quinn@acme");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("SecretRevealed");
        await Expect(rows.First).ToContainTextAsync("handing the door over to facilities");
        await PortalFixture.Screenshot(page, "offboarding-reveal-audit");

        // The ACL editor's preview still matches Pavel's old alias, and says he is offboarded.
        await page.GotoAsync("/#/organization-acl");
        await page.GetByLabel("Entry to add").FillAsync("pavel@acme");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync("pavel@acme: operator (technician, disabled); linked to Pavel Leaver (offboarded)");

        // HR sees what was sealed and who revealed it, but revealing is for owners and security admins (manage-clients).
        var hr = await portal.NewPage();
        await SignInTests.SignIn(hr, "hollis");
        await hr.GotoAsync($"/#/offboardings/{started.Id}");
        await Expect(hr.GetByTestId("sealed-secret")).ToContainTextAsync(label);
        await Expect(hr.GetByTestId("sealed-secret-reveals")).ToContainTextAsync("Revealed to quinn@acme");
        await Expect(hr.GetByRole(AriaRole.Button, new() { Name = $"Reveal the {label}" })).ToHaveCountAsync(0);
        await Expect(hr.GetByLabel("Reason for revealing")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task SecurityAdmin_RevealsTheNewLicenseKeyFromTheOffboarding_AndItEnrolsAClient()
    {
        // The offboarding replaces the license key every other test enrols with. The fixture takes the revealed key; if
        // the test fails before it has one, a reset through the API gives the fixture a key it knows, so no test after
        // this one is left holding a dead key.
        string? revealed = null;
        try
        {
            var started = await OffboardSomeoneWhoKnows("lorna", "Lorna Leaver", "license-key", null);
            await portal.Operator("ravi", "security-admin");
            var page = await portal.NewPage();
            await SignInTests.SignIn(page, "ravi");
            await page.GotoAsync($"/#/offboardings/{started.Id}");
            await Expect(page.GetByTestId("offboarding-status")).ToContainTextAsync("Status: completed", new() { Timeout = 60_000 });
            var secret = page.GetByTestId("sealed-secret").Filter(new() { HasText = "new license key" });
            await Expect(secret.GetByTestId("sealed-secret-reveals")).ToHaveTextAsync("Not revealed to anyone yet.");

            revealed = await Reveal(page, "new license key", "enrol the replacement kiosk", "offboarding-reveal-license-key");
            Assert.StartsWith("ctl-lic.", revealed, StringComparison.Ordinal);
            portal.LicenseKeyReplaced(revealed);
            await Expect(secret.GetByTestId("sealed-secret-reveals")).ToContainTextAsync("Revealed to ravi@acme");
        }
        finally
        {
            if (revealed is null)
            {
                await portal.ResetLicenseKey("a portal test replaced the key without seeing it");
            }
        }

        // The key shown is the organization's live one: a client enrols with it.
        var enrolled = await portal.EnrollClient("kiosk" + Guid.NewGuid().ToString("N")[..6]);
        Assert.NotEqual(Guid.Empty, enrolled.ClientId);
    }

    /// <summary>
    /// A person, linked to a new technician account, who knows one secret (recorded by the owner), offboarded through the
    /// API in exposure mode: the offboarding rotates that secret and seals the new value. The receipt deadline is short, as
    /// no agent runs for a client the test made.
    /// </summary>
    private async Task<OffboardingResponse> OffboardSomeoneWhoKnows(string username, string name, string secret, string? subject)
    {
        await portal.Operator(username, "technician");
        var person = await portal.Call<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest(name, null, "hired"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest(username, null, null, "their account"), portal.OwnerToken);
        await portal.Call<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/knowledge", new RecordKnowledgeRequest(secret, subject, "they set it up"), portal.OwnerToken);
        return await portal.Call<OffboardingResponse>(HttpMethod.Post, "/offboardings",
            new StartOffboardingRequest(person.Id.ToString(), "left the company", "exposure", null, 2), portal.OwnerToken);
    }

    /// <summary>Reveals the sealed secret labelled <paramref name="label"/> with a reason; returns what the dialog showed once, after closing it.</summary>
    private static async Task<string> Reveal(IPage page, string label, string reason, string screenshot)
    {
        await page.GetByLabel("Reason for revealing").FillAsync(reason);
        await page.GetByTestId("sealed-secret").GetByRole(AriaRole.Button, new() { Name = $"Reveal the {label}" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"The {label}" });
        await Expect(dialog).ToContainTextAsync("This reveal is recorded in the audit trail");
        var value = await dialog.GetByTestId("revealed-secret").TextContentAsync();
        await PortalFixture.Screenshot(page, screenshot);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        return value ?? "";
    }
}
