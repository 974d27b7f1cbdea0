using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Operator administration from the browser: an invitation's code shown once and working, a disable, no action the role may not take.</summary>
[Collection("portal")]
public sealed class OperatorTests(PortalFixture portal)
{
    [Fact]
    public async Task SecurityAdmin_InvitesWithACodeShownOnce_DisablesThem_AndIsOfferedNothingOnAnOwner()
    {
        await portal.Operator("sara", "security-admin");
        var ownerId = (await portal.Call<List<Control.Domain.Contracts.OperatorSummary>>(HttpMethod.Get, "/operators", null, portal.OwnerToken))
            .Single(o => o.Username == PortalFixture.OwnerName).Id;
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "sara");
        await page.GetByRole(AriaRole.Link, new() { Name = "Operators" }).ClickAsync();

        await page.GetByLabel("Reason for the change").FillAsync("new technician");
        await page.GetByLabel("Username to invite").FillAsync("yuri");
        await page.GetByLabel("Role").SelectOptionAsync("technician");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Activation code for yuri" });
        var code = await dialog.GetByTestId("revealed-secret").TextContentAsync();
        await PortalFixture.Screenshot(page, "operators-invite-reveal-once");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        // The code shown is the real one: yuri sets his password with it in his own browser, then signs in.
        var invitee = await portal.NewPage(phone: true);
        await invitee.GotoAsync("/");
        await invitee.GetByRole(AriaRole.Link, new() { Name = "Set your password with the activation code" }).ClickAsync();
        await invitee.GetByLabel("Organization").FillAsync(PortalFixture.Organization);
        await invitee.GetByLabel("Username").FillAsync("yuri");
        await invitee.GetByLabel("Activation code").FillAsync(code!);
        await invitee.GetByLabel("New password", new() { Exact = true }).FillAsync("yuri");
        await invitee.GetByLabel("New password again").FillAsync("yuri");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await Expect(invitee.Locator("#field-activate-password-errors")).ToBeVisibleAsync(); // the API's password rules
        await invitee.GetByLabel("New password", new() { Exact = true }).FillAsync(PortalFixture.Password);
        await invitee.GetByLabel("New password again").FillAsync(PortalFixture.Password);
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Set password" }).ClickAsync();
        await PortalFixture.Screenshot(invitee, "activate-390px");
        await invitee.GetByRole(AriaRole.Button, new() { Name = "Go to sign-in" }).ClickAsync();
        await SignInTests.SignIn(invitee, "yuri");
        await page.ReloadAsync();
        var yuri = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "yuri", Exact = true }) });
        await Expect(yuri).ToContainTextAsync("active");

        // What the role may not do is not offered: a security-admin manages a technician, but neither the owner nor themselves.
        await Expect(yuri.GetByRole(AriaRole.Button, new() { Name = "Reset password of yuri" })).ToBeVisibleAsync();
        var alice = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = PortalFixture.OwnerName, Exact = true }) });
        var sara = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = "sara", Exact = true }) });
        await Expect(alice).ToContainTextAsync("owner");
        await Expect(alice.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(sara.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        Assert.DoesNotContain("owner", await page.Locator("#invite-role option").AllTextContentsAsync());

        await page.GetByLabel("Reason for the change").FillAsync("contract ended");
        await yuri.GetByRole(AriaRole.Button, new() { Name = "Disable yuri" }).ClickAsync();
        await Expect(yuri).ToContainTextAsync("disabled");
        await PortalFixture.Screenshot(page, "operators");

        // The API still refuses what the page does not offer: the same request the hidden button would send.
        var refusal = await page.EvaluateAsync<int>(@"async (id) => {
            const session = await (await fetch('/portal/session')).json();
            const r = await fetch(`/operators/${id}/disable`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
                body: JSON.stringify({ reason: 'coup' }) });
            return r.status;
        }", ownerId.ToString());
        Assert.Equal(403, refusal);
    }
}
