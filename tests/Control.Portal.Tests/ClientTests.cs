using System.Text.Json;
using Control.Domain.Contracts;
using Control.EndToEnd.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Control.Portal.Tests;

/// <summary>The address book and the ACL editor, against a real <c>control-agent</c> that enforces what the browser changed.</summary>
[Collection("portal")]
public sealed class ClientTests(PortalFixture portal) : IDisposable
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly AgentDaemon _agent = new(Path.Combine(portal.Api.Root, "agent-" + Guid.NewGuid().ToString("N")[..8]));

    [Fact]
    public async Task AclEdit_FromTheBrowser_ReachesTheRunningAgent_AndATechnicianCannotMakeOne()
    {
        var alias = "desk" + Guid.NewGuid().ToString("N")[..6];
        await portal.StartAgent(_agent, alias);
        await portal.Operator("anna", "security-admin");
        var page = await portal.NewPage();
        await SignInTests.SignIn(page, "anna");

        // The dashboard counts what the API calls online (its rule, not the browser's clock).
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        var listed = await portal.Call<List<ClientSummary>>(HttpMethod.Get, "/clients", null, portal.OwnerToken);
        Assert.True(listed.Single(c => c.Alias == $"{alias}@acme").Online);
        await Expect(page.GetByTestId("clients-online")).ToHaveTextAsync(listed.Count(c => c.Online).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.GetByTestId("clients-offline")).ToHaveTextAsync(listed.Count(c => !c.Online).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await page.GetByRole(AriaRole.Link, new() { Name = "Clients", Exact = true }).ClickAsync();
        // The dashboard's recent changes name the client too: wait for the Clients page before looking for its row.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clients", Level = 1 })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = alias });
        await Expect(row).ToContainTextAsync("online");
        await page.GetByLabel("Search").FillAsync("no-such-client");
        await Expect(row).ToHaveCountAsync(0);
        await page.GetByLabel("Search").FillAsync(alias[..6]);
        await Expect(row).ToHaveCountAsync(1);
        await PortalFixture.Screenshot(page, "clients");

        await row.GetByRole(AriaRole.Link, new() { Name = $"{alias}@acme" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{alias}@acme" })).ToBeVisibleAsync();
        // While typing, the API says which known identities the entry admits (the agent's own matching).
        await page.GetByLabel("Entry to add").FillAsync("anna");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync("Not a valid entry yet");
        await page.GetByLabel("Entry to add").FillAsync("*@acme");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync("anna@acme: operator (security-admin)");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync($"{alias}@acme: client {alias}@acme");
        await page.GetByLabel("Entry to add").FillAsync("*-support@acme");
        await Expect(page.GetByTestId("acl-matches")).ToContainTextAsync("matches 0 known identities");
        await Expect(page.GetByTestId("acl-preview")).ToContainTextAsync("sessions in the last 30 days");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add entry" }).ClickAsync();
        // The API's rule, shown at the field: every security change needs a reason.
        await Expect(page.Locator("#field-change-reason-errors")).ToContainTextAsync("A reason (at most 500 characters) is required");
        await page.GetByLabel("Reason for the change").FillAsync("support team only");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add entry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "ACL entries" })).ToContainTextAsync("*-support@acme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the ACL on" }).ClickAsync();
        await Expect(page.GetByTestId("acl-state")).ToContainTextAsync("The ACL is on");
        await Expect(page.GetByTestId("client-reach-summary")).ToContainTextAsync("Now:");
        await PortalFixture.Screenshot(page, "client-detail");

        // A generated unattended password is shown once, in a dialog; closed, it is nowhere on the page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate the password" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New unattended password" });
        await Expect(dialog).ToBeVisibleAsync();
        var password = await dialog.GetByTestId("revealed-secret").TextContentAsync();
        Assert.True(password is { Length: >= 12 }, $"revealed: {password}");
        await PortalFixture.Screenshot(page, "client-password-reveal-once");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Done: I have it" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await PortalFixture.AssertSecretsGone(page, password!);
        await Expect(page.GetByTestId("unattended-state")).ToContainTextAsync("a password is set");
        var shown = await portal.Call<AuditEventPage>(HttpMethod.Get, "/audit/events?type=SecretRevealed&actor=anna@acme", null, portal.OwnerToken);
        Assert.Equal("support team only", Assert.Single(shown.Items).Reason);

        // The running agent now enforces exactly that, from a signed policy.
        await Eventually.Until(async () =>
        {
            var run = await AgentDaemon.RunAsync("status", "--state-dir", _agent.StateDirectory, "--json");
            var status = run.ExitCode == 0 ? JsonSerializer.Deserialize<AgentStatus>(run.Stdout, Json) : null;
            return status?.Policy is { Acl.Enabled: true } policy && policy.Acl.Entries.SequenceEqual(["*-support@acme"]);
        }, "the agent to enforce the ACL changed in the browser", Bounded, () => $"{_agent.Log}{Environment.NewLine}{portal.Api.Log}");
        await page.ReloadAsync();
        await Expect(page.GetByTestId("policy-versions")).Not.ToContainTextAsync("enforces v–", new() { Timeout = 30_000 });

        // A technician reads the same client but is shown no editor, and the API refuses the change anyway.
        await portal.Operator("tom", "technician");
        var technician = await portal.NewPage(phone: true);
        await SignInTests.SignIn(technician, "tom");
        await technician.GotoAsync(page.Url);
        await Expect(technician.GetByRole(AriaRole.Heading, new() { Name = "Access control list" })).ToBeVisibleAsync();
        await Expect(technician.GetByRole(AriaRole.Button, new() { Name = "Add entry" })).ToHaveCountAsync(0);
        await Expect(technician.GetByRole(AriaRole.Button, new() { Name = "Remove *-support@acme" })).ToHaveCountAsync(0);
        await PortalFixture.Screenshot(technician, "client-detail-technician-390px");
        var status = await technician.EvaluateAsync<int>(@"async (client) => {
            const session = await (await fetch('/portal/session')).json();
            const r = await fetch(`/clients/${client}/acl-remove`, { method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
                body: JSON.stringify({ reason: 'not allowed', entry: '*-support@acme' }) });
            return r.status; }", alias);
        Assert.Equal(403, status);
    }

    public void Dispose() => _agent.Dispose();

    /// <summary>The part of <c>control-agent status --json</c> this test reads.</summary>
    private sealed record AgentStatus(PolicyState? Policy);

    private sealed record PolicyState(long Version, AclState Acl);

    private sealed record AclState(bool Enabled, List<string> Entries);
}
