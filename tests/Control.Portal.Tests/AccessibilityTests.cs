using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Keyboard use, visible focus, and layouts that fit a 390 px phone without sideways scrolling.</summary>
[Collection("portal")]
public sealed class AccessibilityTests(PortalFixture portal)
{
    [Fact]
    public async Task SignIn_WorksFromTheKeyboardAlone_WithAVisibleFocusRing()
    {
        await portal.Operator("kim", "auditor");
        var page = await portal.NewPage();
        await page.GotoAsync("/");
        await page.EvaluateAsync("() => localStorage.removeItem('control.organization')");
        await page.ReloadAsync();

        // The first field has focus; Tab moves through the labelled fields in order; Enter submits.
        await Expect(page.GetByLabel("Organization")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(PortalFixture.Organization);
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("kim");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(PortalFixture.Password);
        await page.Keyboard.PressAsync("Tab");
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Sign in" });
        await Expect(submit).ToBeFocusedAsync();
        Assert.Equal("solid", await submit.EvaluateAsync<string>("b => getComputedStyle(b).outlineStyle"));
        Assert.True(await submit.EvaluateAsync<double>("b => parseFloat(getComputedStyle(b).outlineWidth)") >= 2, "the focus ring is too thin to see");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task MainPages_FitA390PxScreen_WithoutSidewaysScrolling()
    {
        // A client in the address book, so the tables have rows to lay out.
        using var agent = new Control.EndToEnd.Tests.AgentDaemon(Path.Combine(portal.Api.Root, "agent-narrow"));
        await portal.StartAgent(agent, "narrow-screen-check");
        await portal.Operator("lena", "owner");
        var page = await portal.NewPage(phone: true);
        await SignInTests.SignIn(page, "lena");
        foreach (var (route, heading) in new[] { ("#/", "Dashboard"), ("#/clients", "Clients"), ("#/audit", "Audit"), ("#/operators", "Operators"), ("#/offboardings", "Offboarding") })
        {
            await page.GotoAsync("/" + route);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
            // Wide tables scroll inside their own box; the page itself never does.
            var wider = await page.EvaluateAsync<string>(@"() => document.documentElement.scrollWidth <= window.innerWidth ? '' :
                [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && (!e.closest('.table-wrap') || e.classList.contains('table-wrap')))
                    .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`).join(', ')");
            Assert.True(wider.Length == 0, $"{route} is wider than 390 px: {wider}");
            await PortalFixture.Screenshot(page, $"{heading.ToLowerInvariant()}-390px");
        }
    }
}
