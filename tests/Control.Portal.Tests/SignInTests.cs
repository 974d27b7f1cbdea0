using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Signing in (password, then the authenticator code) and turning on two-factor authentication, in Chromium.</summary>
[Collection("portal")]
public sealed class SignInTests(PortalFixture portal)
{
    internal static async Task FillPassword(IPage page, string username)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Organization").FillAsync(PortalFixture.Organization);
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(PortalFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in an operator without 2FA and waits for the signed-in shell.</summary>
    internal static async Task SignIn(IPage page, string username)
    {
        await FillPassword(page, username);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_WithPasswordAndAuthenticatorCode_OpensTheDashboard()
    {
        var (_, token) = await portal.Operator("sam", "security-admin");
        var totp = await portal.EnrollTwoFactor(token);
        var page = await portal.NewPage();

        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to Control" })).ToBeVisibleAsync();
        await PortalFixture.Screenshot(page, "sign-in");
        await FillPassword(page, "sam");
        var code = page.GetByLabel("Authenticator code");
        await Expect(code).ToBeFocusedAsync();
        await PortalFixture.Screenshot(page, "sign-in-second-factor");
        await code.FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The second-factor code is wrong");
        await code.FillAsync(totp.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync("sam@acme security-admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recent security changes" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "OperatorSignedIn" }).First).ToBeVisibleAsync();
        await PortalFixture.Screenshot(page, "dashboard");
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "control-session");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.DoesNotContain("control-session", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithAWrongPassword_SaysSoAndSetsNoCookie()
    {
        var page = await portal.NewPage();
        await page.GotoAsync("/");
        await page.GetByLabel("Organization").FillAsync(PortalFixture.Organization);
        await page.GetByLabel("Username").FillAsync(PortalFixture.OwnerName);
        await page.GetByLabel("Password").FillAsync("not the password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "control-session");
    }

    [Fact]
    public async Task TwoFactorEnrolment_ShowsAQrCodeImage_AndTheRecoveryCodesOnlyOnce()
    {
        await portal.Operator("erin", "auditor");
        var page = await portal.NewPage();
        await FillPassword(page, "erin");

        // Without a second factor, the portal takes the operator to the enrolment first.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Turn on two-factor authentication" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        var qr = page.GetByRole(AriaRole.Img, new() { Name = "QR code with the two-factor secret for your authenticator app" });
        await Expect(qr).ToBeVisibleAsync();
        Assert.StartsWith("data:image/png;base64,", await qr.GetAttributeAsync("src"), StringComparison.Ordinal);
        Assert.True(await qr.EvaluateAsync<int>("img => img.naturalWidth") > 100, "the QR code image did not decode");
        await PortalFixture.Screenshot(page, "two-factor-enrolment");

        var secret = await page.Locator("code.secret").TextContentAsync();
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(secret));
        await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp());
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on" }).ClickAsync();

        var codes = page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" }).GetByRole(AriaRole.Listitem);
        await Expect(codes).ToHaveCountAsync(10);
        await PortalFixture.Screenshot(page, "two-factor-recovery-codes");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have saved them" }).ClickAsync();
        await Expect(page.GetByText("Two-factor authentication is on; 10 recovery codes are left.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByText("Two-factor authentication is on; 10 recovery codes are left.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Recovery codes" })).ToHaveCountAsync(0);
    }
}
