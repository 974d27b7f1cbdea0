using System.Text.Json;
using Control.EndToEnd.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>Keyboard use, visible focus, layouts that fit a 390 px phone without sideways scrolling, and an axe-core scan of each main page.</summary>
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

    [Fact]
    public async Task MainPages_HaveNoWcag2AOrAaViolations_ByAxe()
    {
        var client = await portal.EnrollClient("axe-check");
        var person = await portal.Call<Control.Domain.Contracts.PersonResponse>(HttpMethod.Post, "/people",
            new Control.Domain.Contracts.AddPersonRequest("Axel Check", null, "accessibility scan"), portal.OwnerToken);
        await portal.Operator("ada", "owner");
        // axe-core goes in as an inline script, which the real CSP refuses: this context alone bypasses it.
        var page = await portal.NewPage(bypassCsp: true);
        var failures = new List<string>();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Scan(page, "sign-in", failures);
        await SignInTests.SignIn(page, "ada");
        foreach (var (route, heading) in new[]
        {
            ("#/", "Dashboard"), ("#/clients", "Clients"), ($"#/clients/{client.ClientId}", "axe-check@acme"), ("#/custom-clients", "Custom clients"), ("#/organization-acl", "Organization ACL"),
            ("#/sessions", "Live sessions"), ("#/audit", "Audit"), ("#/offboardings", "Offboarding"), ("#/people", "People"),
            ($"#/people/{person.Id}", "Axel Check"), ("#/operators", "Operators"), ("#/license", "License"), ("#/settings", "Session settings"), ("#/2fa", "Turn on two-factor authentication"),
        })
        {
            await page.GotoAsync("/" + route);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true, Level = 1 })).ToBeVisibleAsync();
            await Scan(page, route, failures);
        }

        // Open modal dialogs too: the rest of the page is inert then, and the dialog is all a keyboard or screen reader reaches.
        await page.GotoAsync($"/#/clients/{client.ClientId}");
        await page.GetByLabel("Reason for the change").FillAsync("accessibility scan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate the password" }).ClickAsync();
        var revealOnce = page.GetByRole(AriaRole.Dialog, new() { Name = "New unattended password" });
        await Expect(revealOnce).ToBeVisibleAsync();
        await Scan(page, "reveal-once dialog", failures);
        await revealOnce.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();

        await page.GotoAsync("/#/offboardings");
        await page.GetByLabel("Person").SelectOptionAsync(new SelectOptionValue { Label = "Axel Check" });
        await page.GetByLabel("Reason", new() { Exact = true }).FillAsync("accessibility scan");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start offboarding…" }).ClickAsync();
        var confirmation = page.GetByRole(AriaRole.Dialog, new() { Name = "Offboard Axel Check?" });
        await Expect(confirmation).ToBeVisibleAsync();
        await Scan(page, "offboarding confirmation dialog", failures);
        await confirmation.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(confirmation).ToBeHiddenAsync();

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static readonly string AxeScript = Path.Combine(Artifacts.RepositoryRoot, "src", "Control.Portal", "node_modules", "axe-core", "axe.min.js");

    private static async Task Scan(IPage page, string name, List<string> failures)
    {
        // Nothing still loading: axe judges the page a user reads.
        await Expect(page.Locator(".loading")).ToHaveCountAsync(0);
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxeScript });
        }

        var violations = await page.EvaluateAsync<JsonElement>(@"async () => (await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })).violations
            .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' [' + n.failureSummary.replace(/\s+/g, ' ') + ']').join('; ')}`)");
        failures.AddRange(violations.EnumerateArray().Select(v => $"{name}: {v.GetString()}"));
    }
}
