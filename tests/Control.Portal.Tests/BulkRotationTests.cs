using Control.Domain.Contracts;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>A bulk rotation of unattended passwords by tag: a different password per client, each shown once, each showing recorded.</summary>
[Collection("portal")]
public sealed class BulkRotationTests(PortalFixture portal)
{
    [Fact]
    public async Task RotatingByTag_RevealsOnePasswordPerClientOnce_AndRecordsEachShowing()
    {
        var tag = "kiosk" + Guid.NewGuid().ToString("N")[..6];
        var aliases = new[] { tag + "-a", tag + "-b" };
        foreach (var alias in aliases)
        {
            var client = await portal.EnrollClient(alias);
            await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.ClientId}/tags",
                new ClientChangeRequest("kiosks", Tags: [tag]), portal.OwnerToken);
        }

        await portal.Operator("rob", "security-admin");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "rob");
        await ClientSettingsTests.ApplyBulkChange(page, tag, "unattended-password", "quarterly kiosk rotation", 2);

        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New unattended passwords" });
        var rows = dialog.GetByTestId("revealed-row");
        await Expect(rows).ToHaveCountAsync(2);
        var passwords = new List<string>();
        foreach (var alias in aliases)
        {
            var row = rows.Filter(new() { HasText = $"{alias}@acme" });
            var password = await row.Locator("code").TextContentAsync();
            Assert.True(password is { Length: >= 12 }, $"revealed for {alias}: {password}");
            passwords.Add(password!);
        }

        Assert.NotEqual(passwords[0], passwords[1]);
        await PortalFixture.Screenshot(page, "clients-bulk-rotation-reveal-once");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await PortalFixture.AssertSecretsGone(page, [.. passwords]);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "2 of 2 clients changed" })).ToBeVisibleAsync();

        var shown = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?type=SecretRevealed&actor=rob@acme", null, portal.OwnerToken);
        Assert.Equal(2, shown.Items.Count);
        Assert.All(shown.Items, e => Assert.Equal("quarterly kiosk rotation", e.Reason));
        Assert.Single(shown.Items.Select(e => e.CorrelationId).Distinct());
    }
}
