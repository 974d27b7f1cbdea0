using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Custom clients from the browser: the registration token shown once, rotated, and really enrolling an agent.</summary>
[Collection("portal")]
public sealed class CustomClientTests(PortalFixture portal)
{
    [Fact]
    public async Task CreateAndRotate_ShowTheLinkTokenOnce_AndTheRotatedOneEnrolsAnAgent()
    {
        var name = "kiosk" + Guid.NewGuid().ToString("N")[..6];
        await portal.Operator("cora", "security-admin");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "cora");
        await page.GetByRole(AriaRole.Link, new() { Name = "Custom clients" }).ClickAsync();

        await page.GetByLabel("Reason for the change").FillAsync("kiosks in the lobby");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("ACL entries of enrolled clients").FillAsync("*-support@acme");
        await page.GetByLabel("Public link").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var created = page.GetByRole(AriaRole.Dialog, new() { Name = $"Registration link token for {name}" });
        var first = await created.GetByTestId("revealed-secret").TextContentAsync();
        await created.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToContainTextAsync("ACL on (*-support@acme)");
        await Expect(row).ToContainTextAsync("public");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Rotate link of {name}" }).ClickAsync();
        var rotated = page.GetByRole(AriaRole.Dialog, new() { Name = $"New registration link token for {name}" });
        var second = await rotated.GetByTestId("revealed-secret").TextContentAsync();
        await PortalFixture.Screenshot(page, "custom-clients-rotate");
        await rotated.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        Assert.NotEqual(first, second);

        // The old token is dead; the new one enrols a machine that gets the preset.
        var tokenFile = Path.Combine(portal.Api.Root, name + "-token");
        await File.WriteAllTextAsync(tokenFile, first);
        var refused = await Control.EndToEnd.Tests.AgentDaemon.RunAsync("enroll", "--no-login-account", "--server", portal.Server, "--token-file", tokenFile, "--alias", name + "-old",
            "--state-dir", Path.Combine(portal.Api.Root, name + "-old"));
        Assert.NotEqual(0, refused.ExitCode);
        await File.WriteAllTextAsync(tokenFile, second);
        var enrolled = await Control.EndToEnd.Tests.AgentDaemon.RunAsync("enroll", "--no-login-account", "--server", portal.Server, "--token-file", tokenFile, "--alias", name,
            "--state-dir", Path.Combine(portal.Api.Root, name));
        Assert.True(enrolled.ExitCode == 0, enrolled.ToString());
    }
}
