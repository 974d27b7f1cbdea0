using Control.Domain.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>The organization's session settings: read by everyone, changed (with a reason) only by admins.</summary>
[Collection("portal")]
public sealed class SettingsTests(PortalFixture portal)
{
    [Fact]
    public async Task AnAdminRequiresJustifications_ATechnicianSeesItButCannotChangeIt()
    {
        await portal.Operator("sofia", "security-admin");
        await portal.Operator("tariq", "technician");
        try
        {
            var admin = await portal.NewPage();
            await SignInTests.SignIn(admin, "sofia");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
            await admin.GetByLabel("Require a justification for every session").CheckAsync();
            await admin.GetByLabel("Reason for the change").FillAsync("auditors ask for it");
            await admin.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" })).ToBeVisibleAsync();
            await PortalFixture.Screenshot(admin, "settings");
            Assert.True((await portal.Call<SessionSettingsView>(HttpMethod.Get, "/organization/session-settings", null, portal.OwnerToken)).RequireJustification);

            var technician = await portal.NewPage();
            await SignInTests.SignIn(technician, "tariq");
            await technician.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
            await Expect(technician.GetByLabel("Require a justification for every session")).ToBeCheckedAsync();
            await Expect(technician.GetByLabel("Require a justification for every session")).ToBeDisabledAsync();
            await Expect(technician.GetByRole(AriaRole.Button, new() { Name = "Save settings" })).ToHaveCountAsync(0);
        }
        finally
        {
            // Back as it was for the other tests, which open sessions without a justification.
            await portal.Call<SessionSettingsChangeResponse>(HttpMethod.Put, "/organization/session-settings",
                new ChangeSessionSettingsRequest(false, null, "restore the default"), portal.OwnerToken);
        }
    }
}
