using Control.Domain.Contracts;
using Control.EndToEnd.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>A real session (the <c>control</c> CLI running a command on a real agent) ended from the browser.</summary>
[Collection("portal")]
public sealed class SessionTests(PortalFixture portal) : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private readonly AgentDaemon _agent = new(Path.Combine(portal.Api.Root, "agent-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task ALiveSession_IsListed_AndEndedFromTheBrowser_TheViewerIsToldWhy()
    {
        var alias = "kiosk" + Guid.NewGuid().ToString("N")[..6];
        var client = await portal.StartAgent(_agent, alias, "--listen", "127.0.0.1:0");
        var rotated = await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.Id}/unattended-password", new ClientChangeRequest("set up"), portal.OwnerToken);
        await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.Id}/unattended-enable", new ClientChangeRequest("set up"), portal.OwnerToken);
        await portal.Call<ClientChangeResponse>(HttpMethod.Post, $"/clients/{client.Id}/logins",
            new ClientChangeRequest("sessions run as the test account", Logins: [Control.EndToEnd.Tests.TestAccount.Name]), portal.OwnerToken);
        var latest = (await portal.Call<ClientDetail>(HttpMethod.Get, $"/clients/{client.Id}", null, portal.OwnerToken)).Summary.LatestPolicyVersion;
        await Eventually.Until(async () =>
        {
            var status = await AgentDaemon.RunAsync("status", "--state-dir", _agent.StateDirectory, "--json");
            return status.ExitCode == 0
                && System.Text.Json.JsonDocument.Parse(status.Stdout).RootElement.GetProperty("policy") is { ValueKind: System.Text.Json.JsonValueKind.Object } policy
                && policy.GetProperty("version").GetInt64() >= latest;
        }, "the agent to hold the policy with the password", Bounded, () => _agent.Log);

        // The owner opens a session with the CLI: a command that would run for a minute.
        var cli = new ControlCli(Path.Combine(portal.Api.Root, "cli-" + alias));
        var login = await cli.RunWithInputAsync([PortalFixture.Password], "login", "--server", portal.Server, "--org", PortalFixture.Organization, "--user", PortalFixture.OwnerName);
        Assert.True(login.ExitCode == 0, login.ToString());
        var running = cli.RunWithInputAsync([rotated.RevealedPassword!], "exec", "-q", alias, "--", "sleep", "50");
        await Eventually.Until(async () =>
            (await portal.Call<List<SessionSummaryView>>(HttpMethod.Get, $"/sessions?live=true&client={client.Id}", null, portal.OwnerToken)).Count == 1,
            "the session to be live", Bounded, () => _agent.Log);

        await portal.Operator("nina", "security-admin");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "nina");
        await page.GetByRole(AriaRole.Link, new() { Name = "Live sessions" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = alias });
        await Expect(row).ToContainTextAsync($"{PortalFixture.OwnerName}@{PortalFixture.Organization}");
        await PortalFixture.Screenshot(page, "live-sessions");
        await page.GetByLabel("Reason for ending a session").FillAsync("maintenance window");
        await row.GetByRole(AriaRole.Button, new() { Name = "End the session" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Ending the session" })).ToBeVisibleAsync();

        var ended = await running;
        Assert.True(ended.ExitCode == 1, ended.ToString());
        Assert.Contains("ended by an operator", ended.Stderr, StringComparison.Ordinal);
        await Expect(row).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        // The session history says who ended it and why.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var filters = page.GetByRole(AriaRole.Search, new() { Name = "Filter the session history" });
        await filters.GetByLabel("Client").FillAsync(alias);
        await filters.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        var history = page.Locator("table.sessions tbody tr");
        await Expect(history).ToHaveCountAsync(1);
        await Expect(history.First).ToContainTextAsync("ended by operator");
        var changes = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?actor=nina@acme", null, portal.OwnerToken);
        Assert.Contains(changes.Items, e => e.Reason == "maintenance window");
        await PortalFixture.Screenshot(page, "session-history");
    }

    public void Dispose() => _agent.Dispose();
}
