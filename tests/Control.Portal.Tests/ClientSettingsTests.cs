using Control.EndToEnd.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Tags, session logins, a bulk change by tag, two-factor for sessions with its QR code, and removal, from the browser.</summary>
[Collection("portal")]
public sealed class ClientSettingsTests(PortalFixture portal) : IDisposable
{
    private readonly AgentDaemon _agent = new(Path.Combine(portal.Api.Root, "agent-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task TagsLoginsBulkChangeTwoFactorAndRemoval_WorkFromTheClientPages()
    {
        var alias = "till" + Guid.NewGuid().ToString("N")[..6];
        var client = await portal.StartAgent(_agent, alias);
        await portal.Operator("bea", "owner");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "bea");
        await page.GotoAsync($"/#/clients/{client.Id}");

        await page.GetByLabel("Reason for the change").FillAsync("shop tills");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Tags" }).FillAsync(alias);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save tags" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Tags saved" })).ToBeVisibleAsync();

        // Session logins: root only with its explicit confirmation, and then the page says what it means.
        await Expect(page.GetByTestId("logins-state")).ToContainTextAsync("Sessions run as control-session by default.");
        await page.GetByRole(AriaRole.Textbox, new() { Name = "Logins (local accounts, the default first)" }).FillAsync("control-session, root");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save logins" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "--allow-root" })).ToBeVisibleAsync();
        await page.GetByLabel("Root sessions may read and change everything on the client").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save logins" }).ClickAsync();
        await Expect(page.GetByTestId("logins-state")).ToContainTextAsync("root is permitted");

        // Two-factor for sessions: the QR code is an image from the API, the first code switches it on.
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor" }).ClickAsync();
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR code with this client's two-factor secret" });
        await Expect(qr).ToBeVisibleAsync();
        var secret = await page.Locator("section[aria-labelledby=client-2fa-title] code.secret").TextContentAsync();
        await page.GetByLabel("First code").FillAsync(new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret)).ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch two-factor on" }).ClickAsync();
        await Expect(page.GetByTestId("client-2fa-state")).ToContainTextAsync("need an authenticator code");

        // A bulk change selects the clients by the tag.
        await ApplyBulkChange(page, alias, "acl-enable", "lock the tills down", 1);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 of 1 clients changed" })).ToBeVisibleAsync();
        await PortalFixture.Screenshot(page, "clients-bulk");

        await page.GetByRole(AriaRole.Link, new() { Name = $"{alias}@acme" }).ClickAsync();
        await Expect(page.GetByTestId("acl-state")).ToContainTextAsync("The ACL is on");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "History" })).ToBeVisibleAsync();
        await Expect(page.Locator("section[aria-labelledby=history-title] tbody tr").First).ToContainTextAsync("lock the tills down");

        await page.GetByLabel("Reason for the change").FillAsync("till retired");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {alias}@acme…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Yes, remove {alias}@acme" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clients", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = alias })).ToHaveCountAsync(0);
    }

    public void Dispose() => _agent.Dispose();

    /// <summary>On the Clients page: filters by the tag and applies one bulk change to the <paramref name="count"/> clients carrying it.</summary>
    internal static async Task ApplyBulkChange(IPage page, string tag, string action, string reason, int count)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Clients", Exact = true }).ClickAsync();
        await page.GetByLabel("Tag", new() { Exact = true }).FillAsync(tag);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter by tag" }).ClickAsync();
        await page.GetByLabel("Change", new() { Exact = true }).SelectOptionAsync(action);
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Apply to {count} clients" }).ClickAsync();
    }
}
