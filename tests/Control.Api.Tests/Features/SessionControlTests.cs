using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Features;

/// <summary>Live revocation (ending sessions, revoking remember-tokens) and the organization's session settings, through to the signed policy.</summary>
[Collection("api")]
public class SessionControlTests(ApiFixture api)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Kill_LiveSession_Is200_AndTheNextLongPolledPolicyListsIt_WithTheReasonInTheAuditTrail()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        var session = await Live(agent, "alice@" + org.Slug);
        var (_, sally) = await org.Operator("sally", "security-admin");
        var current = await agent.Policy();
        Assert.DoesNotContain(session, current.Policy.TerminatedSessions);

        var poll = agent.Http.Get("/agent/policy?wait=30", current.Policy.Version.ToString(CultureInfo.InvariantCulture));
        await Task.Delay(200);
        Assert.False(poll.IsCompleted, "the long poll answered before anything changed");
        var watch = Stopwatch.StartNew();
        var killed = await sally.PostOk<KillSessionResponse>($"/sessions/{session}/kill", new KillSessionRequest("suspicious commands"));
        var signed = await Client.Read<SignedPolicy>(await poll.WaitAsync(Bounded), HttpStatusCode.OK);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the long poll took {watch.Elapsed}");
        Assert.Equal((session, agent.Enrolment.ClientId, true), (killed.SessionId, killed.ClientId, killed.Changed));
        Assert.True(PolicySignature.Verify(signed, agent.Enrolment.PolicyPublicKey));
        Assert.Equal([session], signed.Policy.TerminatedSessions);
        Assert.True(signed.Policy.Version > current.Policy.Version);
        var audit = (await org.Owner.GetOk<AuditEventPage>($"/audit/events?type=ClientSessionTerminated&stream={agent.Enrolment.ClientId}")).Items;
        var fact = Assert.Single(audit);
        Assert.Equal(("sally@" + org.Slug, "suspicious commands"), (fact.Actor, fact.Reason));
        Assert.Equal(session, fact.Data.GetProperty("sessionId").GetGuid());

        // Killing it again (the agent has not reported the close yet) changes nothing.
        var again = await sally.PostOk<KillSessionResponse>($"/sessions/{session}/kill", new KillSessionRequest("again"));
        Assert.False(again.Changed);
        Assert.Equal(killed.ClientVersion, again.ClientVersion);
    }

    [Fact]
    public async Task Kill_IsRefused_WhenNotLive409_Unknown404_OtherTenant404_NoReason400_Technician403_AndNothingIsAppended()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var live = await Live(agent, "alice@" + org.Slug);
        var closed = Guid.CreateVersion7();
        await Post(agent,
            Requested(closed, agent.Enrolment.ClientId, "bob@" + org.Slug),
            new SessionAuthenticated(closed, agent.Enrolment.ClientId, "bob@" + org.Slug, ["acl"], null, T0),
            new SessionClosed(closed, agent.Enrolment.ClientId, "viewer", null, 1000, 1, 1, T0.AddSeconds(1)));
        var denied = Guid.CreateVersion7();
        await Post(agent, Requested(denied, agent.Enrolment.ClientId), new SessionDenied(denied, agent.Enrolment.ClientId, "eve@acme", "192.0.2.1", "no", T0));
        var other = await api.NewOrganization();
        var (_, tina) = await org.Operator("tina", "technician");
        var (_, audrey) = await org.Operator("audrey", "auditor");
        var before = (await agent.Policy()).Policy.Version;

        Assert.Equal("session/not_live", Code(await Client.Problem(await org.Owner.Post($"/sessions/{closed}/kill", new KillSessionRequest("x")), HttpStatusCode.Conflict)));
        await Client.Problem(await org.Owner.Post($"/sessions/{denied}/kill", new KillSessionRequest("x")), HttpStatusCode.Conflict);
        await Client.Problem(await org.Owner.Post($"/sessions/{Guid.CreateVersion7()}/kill", new KillSessionRequest("x")), HttpStatusCode.NotFound);
        await Client.Problem(await other.Owner.Post($"/sessions/{live}/kill", new KillSessionRequest("x")), HttpStatusCode.NotFound);
        var invalid = await Client.Problem(await org.Owner.Post($"/sessions/{live}/kill", new KillSessionRequest(" ")), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("reason", out _), invalid.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Post($"/sessions/{live}/kill", new KillSessionRequest("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await audrey.Post($"/sessions/{live}/kill", new KillSessionRequest("x"))).StatusCode);

        var after = (await agent.Policy()).Policy;
        Assert.Equal(before, after.Version);
        Assert.Empty(after.TerminatedSessions);
        Assert.Empty((await org.Owner.GetOk<AuditEventPage>("/audit/events?type=ClientSessionTerminated")).Items);
        Assert.True((await tina.GetOk<SessionSummaryView>($"/sessions/{live}")).Live);
    }

    [Fact]
    public async Task Tokens_ListsValidOnesFromSessionEvents_ClearedEpochsDropOut_RevokeReachesThePolicy()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        using var other = await org.Agent("desk");
        var alice = "alice@" + org.Slug;
        var first = Guid.CreateVersion7();
        var second = Guid.CreateVersion7();
        var reuse = Guid.CreateVersion7();
        var id = agent.Enrolment.ClientId;
        await Post(agent, Requested(first, id, alice), new SessionAuthenticated(first, id, alice, ["password"], null, T0),
            new RememberTokenIssued(first, id, alice, "aaaa000000000001", "laptop", 0, T0));
        await Post(agent, Requested(second, id, "bob@" + org.Slug, T0.AddMinutes(1)),
            new RememberTokenIssued(second, id, "bob@" + org.Slug, "bbbb000000000002", null, 0, T0.AddMinutes(1)));
        await Post(agent, Requested(reuse, id, alice, T0.AddHours(1)),
            new SessionAuthenticated(reuse, id, alice, ["remember-token aaaa000000000001"], "aaaa000000000001", T0.AddHours(1)));
        var elsewhere = Guid.CreateVersion7();
        await Post(other, Requested(elsewhere, other.Enrolment.ClientId, alice),
            new RememberTokenIssued(elsewhere, other.Enrolment.ClientId, alice, "cccc000000000003", null, 0, T0));
        var (_, tina) = await org.Operator("tina", "technician");

        var listed = await tina.GetOk<List<RememberTokenView>>("/clients/door/tokens");
        Assert.Equal(["bbbb000000000002", "aaaa000000000001"], listed.Select(t => t.TokenId));
        var a = listed[1];
        Assert.Equal((alice, "laptop", 0L, T0, first, (DateTimeOffset?)T0.AddHours(1)), (a.ViewerAlias, a.Device, a.Epoch, a.IssuedAt, a.IssuedInSession, a.LastUsedAt));
        Assert.Null(listed[0].LastUsedAt);

        // Revoke one: it leaves the list and the policy carries it; technicians may read but not revoke.
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Post($"/clients/door/tokens/bbbb000000000002/revoke", new RevokeRememberTokenRequest("x"))).StatusCode);
        var revoked = await org.Owner.PostOk<ClientChangeResponse>("/clients/door/tokens/bbbb000000000002/revoke", new RevokeRememberTokenRequest("lost laptop"));
        Assert.True(revoked.Changed);
        Assert.False((await org.Owner.PostOk<ClientChangeResponse>("/clients/door/tokens/bbbb000000000002/revoke", new RevokeRememberTokenRequest("again"))).Changed);
        Assert.Equal(["aaaa000000000001"], (await tina.GetOk<List<RememberTokenView>>("/clients/door/tokens")).Select(t => t.TokenId));
        Assert.Equal(["bbbb000000000002"], (await agent.Policy()).Policy.RevokedTokenIds);
        Assert.Equal("token/unknown", Code(await Client.Problem(
            await org.Owner.Post("/clients/door/tokens/cccc000000000003/revoke", new RevokeRememberTokenRequest("another client's token")), HttpStatusCode.NotFound)));
        await Client.Problem(await org.Owner.Post("/clients/door/tokens/aaaa000000000001/revoke", new RevokeRememberTokenRequest("")), HttpStatusCode.BadRequest);

        // Clear all: older-epoch tokens drop out (and out of the policy); a token issued under the new epoch is listed.
        await org.Change(agent, "tokens-clear", new ClientChangeRequest("rotate everything"));
        Assert.Empty(await tina.GetOk<List<RememberTokenView>>("/clients/door/tokens"));
        var cleared = (await agent.Policy()).Policy;
        Assert.Equal((1L, 0), (cleared.TokenEpoch, cleared.RevokedTokenIds.Count));
        var third = Guid.CreateVersion7();
        await Post(agent, Requested(third, id, alice, T0.AddDays(1)), new RememberTokenIssued(third, id, alice, "dddd000000000004", "phone", 1, T0.AddDays(1)));
        Assert.Equal(["dddd000000000004"], (await tina.GetOk<List<RememberTokenView>>("/clients/door/tokens")).Select(t => t.TokenId));
        Assert.False((await org.Owner.PostOk<ClientChangeResponse>("/clients/door/tokens/aaaa000000000001/revoke", new RevokeRememberTokenRequest("dead already"))).Changed);
        var otherOrg = await api.NewOrganization();
        await Client.Problem(await otherOrg.Owner.Get($"/clients/{id}/tokens"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SessionSettings_DefaultsReadableByAnyOperator_ChangeWakesEveryAgent_OnlyOwnersAndSecurityAdminsChange()
    {
        var org = await api.NewOrganization();
        using var a = await org.Agent();
        using var b = await org.Agent();
        var (_, tina) = await org.Operator("tina", "technician");
        var (_, sally) = await org.Operator("sally", "security-admin");

        var defaults = await tina.GetOk<SessionSettingsView>("/organization/session-settings");
        Assert.Equal((false, true), (defaults.RequireJustification, defaults.RecordShellSessions));
        Assert.Equal(new PolicySessionSettings(false, true), (await a.Policy()).Policy.Sessions);
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Put("/organization/session-settings", new ChangeSessionSettingsRequest(true, null, "x"))).StatusCode);
        var empty = await Client.Problem(await sally.Put("/organization/session-settings", new ChangeSessionSettingsRequest(null, null, "x")), HttpStatusCode.BadRequest);
        Assert.True(empty.GetProperty("errors").TryGetProperty("settings", out _), empty.ToString());

        var versions = new[] { (await a.Policy()).Policy.Version, (await b.Policy()).Policy.Version };
        var polls = new[] { a, b }.Select((agent, i) => agent.Http.Get("/agent/policy?wait=30", versions[i].ToString(CultureInfo.InvariantCulture))).ToList();
        await Task.Delay(200);
        Assert.DoesNotContain(polls, p => p.IsCompleted);
        var changed = await Client.Read<SessionSettingsChangeResponse>(
            await sally.Put("/organization/session-settings", new ChangeSessionSettingsRequest(true, false, "works council agreement")), HttpStatusCode.OK);
        var woken = await Task.WhenAll(polls).WaitAsync(Bounded);

        Assert.True(changed.Changed);
        foreach (var response in woken)
        {
            var signed = await Client.Read<SignedPolicy>(response, HttpStatusCode.OK);
            Assert.Equal(new PolicySessionSettings(RequireJustification: true, RecordShellSessions: false), signed.Policy.Sessions);
        }

        var now = await tina.GetOk<SessionSettingsView>("/organization/session-settings");
        Assert.Equal((true, false, changed.Settings.Version), (now.RequireJustification, now.RecordShellSessions, now.Version));
        var same = await Client.Read<SessionSettingsChangeResponse>(
            await org.Owner.Put("/organization/session-settings", new ChangeSessionSettingsRequest(true, null, "again")), HttpStatusCode.OK);
        Assert.False(same.Changed);
        var audit = Assert.Single((await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OrganizationSessionSettingsChanged")).Items);
        Assert.Equal(("sally@" + org.Slug, "works council agreement"), (audit.Actor, audit.Reason));
    }

    private static string? Code(JsonElement problem) => problem.TryGetProperty("type", out var type) ? type.GetString()!.Split("/problems/")[1] : null;

    /// <summary>A session the agent reports as admitted and not closed.</summary>
    private static async Task<Guid> Live(TestAgent agent, string viewer)
    {
        var session = Guid.CreateVersion7();
        await Post(agent, Requested(session, agent.Enrolment.ClientId, viewer),
            new SessionAuthenticated(session, agent.Enrolment.ClientId, viewer, ["acl", "password"], null, T0.AddSeconds(1)));
        return session;
    }

    private static Task<AgentSessionEventsAccepted> Post(TestAgent agent, params SessionEvent[] events) =>
        agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", new AgentSessionEventBatch(
            [.. events.Select(e => new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), Client.Json)))]));

    private static SessionRequested Requested(Guid session, Guid client, string viewer = "alice@acme", DateTimeOffset? at = null) => new(
        session, client, viewer, "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 42", at ?? T0);
}
