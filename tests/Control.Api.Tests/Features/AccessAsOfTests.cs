using System.Globalization;
using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Features;

/// <summary>The access review as of a time, a client's ACL history and the ACL what-if, on a real PostgreSQL.</summary>
[Collection("api")]
public class AccessAsOfTests(ApiFixture api)
{
    [Fact]
    public async Task WhoCanReach_at_times_around_an_acl_change_answers_as_it_was_then()
    {
        var beforeOrganization = await Mark();
        var org = await api.NewOrganization();
        await org.Operator("bob", "technician");
        var bob = $"bob@{org.Slug}";
        var beforeClient = await Mark();
        using var door = await org.Agent("door");
        await org.Change(door, "acl-enable", new ClientChangeRequest("lock it down"));
        var aclOn = await Mark();
        await org.Change(door, "acl-add", new ClientChangeRequest("bob fixes it", Entry: bob));
        var bobAdded = await Mark();
        await org.Change(door, "acl-remove", new ClientChangeRequest("bob moved team", Entry: bob));
        var bobRemoved = await Mark();
        Assert.Equal(HttpStatusCode.OK, (await org.Owner.Post("/organization/acl/add", new ClientChangeRequest("everyone of us", Entry: $"*@{org.Slug}"))).StatusCode);

        var before = await WhoCanReach(org, "door", beforeOrganization);
        Assert.Empty(before.Paths);
        Assert.Equal("The organization did not exist yet at that time.", before.Note);
        Assert.Equal("The client was not enrolled yet at that time.", (await WhoCanReach(org, "door", beforeClient)).Note);
        Assert.Empty((await WhoCanReach(org, "door", aclOn)).Paths);
        var admitted = await WhoCanReach(org, "door", bobAdded);
        Assert.True(admitted.AclEnabled);
        Assert.Equal([bob], admitted.AclEntries);
        Assert.Equal($"ACL entry {bob}", Assert.Single(admitted.Paths, p => p.ViewerAlias == bob).AdmittedBy);
        Assert.DoesNotContain((await WhoCanReach(org, "door", bobRemoved)).Paths, p => p.ViewerAlias == bob);

        // Now: admitted again, by the organization-wide wildcard; the replay at "now" equals the live answer.
        var live = await org.Owner.GetOk<WhoCanReachResponse>("/access/who-can-reach/door");
        Assert.Equal($"ACL entry *@{org.Slug}", Assert.Single(live.Paths, p => p.ViewerAlias == bob).AdmittedBy);
        var replayed = await WhoCanReach(org, "door", await Mark());
        Assert.Equal(Json(live with { AsOf = null }), Json(replayed with { AsOf = null }));
    }

    [Fact]
    public async Task AclHistory_lists_each_change_with_actor_reason_correlation_and_organization_wide_changes()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        var alice = $"alice@{org.Slug}";
        await org.Change(door, "acl-enable", new ClientChangeRequest("lock it down"));
        Assert.Equal(HttpStatusCode.OK, (await org.Owner.Post($"/clients/{door.Enrolment.ClientId}/acl-add",
            new ClientChangeRequest("alice on call", Entry: alice), correlation: "ticket-42")).StatusCode);
        await org.Change(door, "acl-remove", new ClientChangeRequest("alice off call", Entry: alice));
        Assert.Equal(HttpStatusCode.OK, (await org.Owner.Post("/organization/acl/add", new ClientChangeRequest("support team", Entry: $"*-support@{org.Slug}"))).StatusCode);
        await org.Change(door, "acl-disable", new ClientChangeRequest("open again"));

        var history = await org.Owner.GetOk<AclHistoryResponse>("/clients/door/acl/history");
        var owner = $"owner@{org.Slug}";
        var rows = history.Changes.Select(c => $"{c.Event}|{c.Actor}|{c.Reason}|{c.OrganizationWide}|+{string.Join(",", c.Added)}|-{string.Join(",", c.Removed)}|{c.AclEnabled}").ToList();
        Assert.Equal(
        [
            $"AclEnabled|{owner}|lock it down|False|+|-|True",
            $"AclEntryAdded|{owner}|alice on call|False|+{alice}|-|",
            $"AclEntryRemoved|{owner}|alice off call|False|+|-{alice}|",
            $"OrganizationAclEntryAdded|{owner}|support team|True|+*-support@{org.Slug}|-|",
            $"AclDisabled|{owner}|open again|False|+|-|False",
        ], rows);
        Assert.Equal("ticket-42", history.Changes[1].Correlation);
        Assert.True(history.Changes.Zip(history.Changes.Skip(1)).All(p => p.First.At <= p.Second.At && p.First.Sequence < p.Second.Sequence));
    }

    [Fact]
    public async Task ReachableBy_at_times_around_an_offboarding_follows_its_steps()
    {
        var org = await api.NewOrganization();
        await org.Operator("bob", "technician");
        var (_, hr) = await org.Operator("hannah", "hr");
        var bob = $"bob@{org.Slug}";
        using var door = await org.Agent("door");
        using var laptop = await org.Agent("bob-laptop");
        await org.Change(door, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(door, "acl-add", new ClientChangeRequest("test", Entry: bob));
        await org.Change(door, "unattended-password", new ClientChangeRequest("test"));
        await org.Change(door, "unattended-enable", new ClientChangeRequest("test"));
        var beforePerson = await Mark();
        var person = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Bob Builder", "bob@example.com", "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("bob", null, null, "account"));
        await hr.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest(null, null, "bob-laptop", "their laptop"));
        var beforeSignIn = await Mark();
        await door.Report(new SessionAuthenticated(Guid.CreateVersion7(), door.Enrolment.ClientId, bob, ["certificate 01", "unattended password (SCRAM-SHA-256)"], null, DateTimeOffset.UtcNow));
        var beforeOffboarding = await Mark();

        var started = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest(person.Id.ToString(), "left the company", null, null, 30)), HttpStatusCode.Accepted);
        await hr.Until(started.Id, o => o.Steps.All(s => s.Status == "done"));
        var steps = (await org.Owner.GetOk<AuditEventPage>($"/audit/events?correlation={started.Id}&limit=500")).Items;
        DateTimeOffset StepAt(string type) => steps.Where(e => e.Type == type).Min(e => e.Timestamp);

        Assert.Equal("The person was not recorded yet at that time.", (await ReachableBy(org, person.Id, beforePerson)).Note);
        var knewNothing = await ReachableBy(org, person.Id, beforeSignIn);
        Assert.Equal(["attended (someone at the client accepts)"], Assert.Single(knewNothing.Paths, p => p.Client == $"door@{org.Slug}").Methods);
        var then = await ReachableBy(org, person.Id, beforeOffboarding);
        Assert.True(then.CanSignIn);
        Assert.Contains("unattended password (known)", Assert.Single(then.Paths, p => p.Client == $"door@{org.Slug}").Methods);
        Assert.Contains(then.Paths, p => p.Client == $"bob-laptop@{org.Slug}");

        // Step 1 removed the laptop; step 2 disabled the account: between them the door was still reachable.
        var laptopRemoved = StepAt("ClientRemoved");
        var accountDisabled = StepAt("OperatorDisabled");
        Assert.True(laptopRemoved < accountDisabled);
        var between = await ReachableBy(org, person.Id, laptopRemoved);
        Assert.DoesNotContain(between.Paths, p => p.Client == $"bob-laptop@{org.Slug}");
        Assert.Contains(between.Paths, p => p.Client == $"door@{org.Slug}");
        var disabled = await ReachableBy(org, person.Id, accountDisabled);
        Assert.False(disabled.CanSignIn);
        Assert.Empty(disabled.Paths);

        // After: nothing, as live; and the door's review before the offboarding still shows bob with the password he knew.
        var live = await hr.GetOk<ReachableByResponse>($"/access/reachable-by/{person.Id}");
        var replayed = await ReachableBy(org, person.Id, await Mark());
        Assert.Empty(replayed.Paths);
        Assert.Equal(Json(live with { AsOf = null }), Json(replayed with { AsOf = null }));
        Assert.Contains("unattended password (known)", Assert.Single((await WhoCanReach(org, "door", beforeOffboarding)).Paths, p => p.ViewerAlias == bob).Methods);
        Assert.DoesNotContain((await WhoCanReach(org, "door", await Mark())).Paths, p => p.ViewerAlias == bob);
    }

    [Fact]
    public async Task WhatIf_lists_the_sessions_a_removed_entry_admitted_and_appends_nothing()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        using var till = await org.Agent("till");
        string bob = $"bob@{org.Slug}", alice = $"alice@{org.Slug}", carol = $"carol@{org.Slug}";
        await org.Change(door, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(door, "acl-add", new ClientChangeRequest("test", Entry: bob));
        await org.Change(door, "acl-add", new ClientChangeRequest("test", Entry: $"*-support@{org.Slug}"));
        await org.Change(till, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(till, "acl-add", new ClientChangeRequest("test", Entry: bob));
        var bobOnDoor = await Admitted(door, bob);
        await Admitted(door, $"alice-support@{org.Slug}");
        await Admitted(till, bob);
        var carolDenied = Guid.CreateVersion7();
        await door.Report(new SessionDenied(carolDenied, door.Enrolment.ClientId, carol, "10.0.0.9", $"{carol} is not on the access control list", DateTimeOffset.UtcNow));
        var eventsBefore = await EventCount(org);

        var removeBob = await org.Owner.PostOk<WhatIfResponse>("/access/what-if", new WhatIfRequest("door", false, null, [bob], null, false, null));
        Assert.Equal(30, removeBob.Days);
        Assert.Equal(3, removeBob.SessionsChecked);
        var refused = Assert.Single(removeBob.WouldRefuse);
        Assert.Equal((bobOnDoor, bob, $"door@{org.Slug}"), (refused.SessionId, refused.ViewerAlias, refused.Client));
        Assert.StartsWith("admitted (", refused.OutcomeThen);
        Assert.Equal($"refused: {bob} is not on the access control list", refused.WouldBe);
        Assert.Empty(removeBob.WouldAdmit);

        var addCarol = await org.Owner.PostOk<WhatIfResponse>("/access/what-if", new WhatIfRequest("door", false, [carol], null, null, false, 7));
        Assert.Empty(addCarol.WouldRefuse);
        Assert.Equal(carolDenied, Assert.Single(addCarol.WouldAdmit).SessionId);

        // Organization-wide: removing nothing the clients rely on refuses nothing; switching a client's ACL off refuses nothing.
        Assert.Empty((await org.Owner.PostOk<WhatIfResponse>("/access/what-if", new WhatIfRequest(null, true, null, [alice], null, false, null))).WouldRefuse);
        Assert.Single((await org.Owner.PostOk<WhatIfResponse>("/access/what-if", new WhatIfRequest("door", false, null, null, false, false, null))).WouldAdmit);

        // Invalid proposals are refused as the real edit refuses them.
        var invalid = await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest("door", false, ["not an entry"], null, null, false, null)), HttpStatusCode.BadRequest);
        Assert.Equal("acl.entry_invalid", invalid.GetProperty("code").GetString());
        var everyone = await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest("door", false, ["*"], null, null, false, null)), HttpStatusCode.BadRequest);
        Assert.Equal("acl.everyone_not_confirmed", everyone.GetProperty("code").GetString());
        await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest("door", false, null, [bob], null, false, 0)), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest("door", false, null, null, null, false, null)), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest(null, true, null, [bob], true, false, null)), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/access/what-if", new WhatIfRequest("nowhere", false, null, [bob], null, false, null)), HttpStatusCode.NotFound);

        Assert.Equal(eventsBefore, await EventCount(org));
        Assert.Equal([bob, $"*-support@{org.Slug}"], (await org.Owner.GetOk<WhoCanReachResponse>("/access/who-can-reach/door")).AclEntries);
    }

    [Fact]
    public async Task AsOf_history_and_whatif_see_only_the_callers_organization_and_reject_bad_input()
    {
        var org = await api.NewOrganization();
        var other = await api.NewOrganization();
        using var door = await org.Agent("door");
        var (_, hr) = await org.Operator("hannah", "hr");
        var person = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Pat", null, "hired"));
        var id = door.Enrolment.ClientId;
        var now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));

        await Client.Problem(await other.Owner.Get($"/access/who-can-reach/{id}?at={now}"), HttpStatusCode.NotFound);
        await Client.Problem(await other.Owner.Get($"/access/reachable-by/{person.Id}?at={now}"), HttpStatusCode.NotFound);
        await Client.Problem(await other.Owner.Get($"/clients/{id}/acl/history"), HttpStatusCode.NotFound);
        await Client.Problem(await other.Owner.Post("/access/what-if", new WhatIfRequest(id.ToString(), false, ["x@other"], null, null, false, null)), HttpStatusCode.NotFound);

        // The other organization's replay holds none of this one's clients.
        var (_, otherHr) = await other.Operator("hannah", "hr");
        var otherPerson = await otherHr.PostOk<PersonResponse>("/people", new AddPersonRequest("Quinn", null, "hired"));
        Assert.Empty((await otherHr.GetOk<ReachableByResponse>($"/access/reachable-by/{otherPerson.Id}?at={now}")).Paths);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture));
        var problem = await Client.Problem(await org.Owner.Get($"/access/who-can-reach/door?at={future}"), HttpStatusCode.BadRequest);
        Assert.Contains("future", problem.GetProperty("errors").GetProperty("at")[0].GetString());
        await Client.Problem(await hr.Get($"/access/reachable-by/{person.Id}?at={future}"), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.BadRequest, (await org.Owner.Get("/access/who-can-reach/door?at=yesterday-ish")).StatusCode);

        // HR reads the access review but not the audit's history or what-if.
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Get("/clients/door/acl/history")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Post("/access/what-if", new WhatIfRequest("door", false, null, null, true, false, null))).StatusCode);
    }

    private static async Task<DateTimeOffset> Mark()
    {
        // Event timestamps come from the database's clock; keep a clear gap on both sides of each mark.
        await Task.Delay(30);
        var mark = DateTimeOffset.UtcNow;
        await Task.Delay(30);
        return mark;
    }

    private static string At(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static Task<WhoCanReachResponse> WhoCanReach(Organization org, string client, DateTimeOffset at) =>
        org.Owner.GetOk<WhoCanReachResponse>($"/access/who-can-reach/{client}?at={At(at)}");

    private static Task<ReachableByResponse> ReachableBy(Organization org, Guid person, DateTimeOffset at) =>
        org.Owner.GetOk<ReachableByResponse>($"/access/reachable-by/{person}?at={At(at)}");

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Client.Json);

    private static async Task<int> EventCount(Organization org)
    {
        var page = await org.Owner.GetOk<AuditEventPage>("/audit/events?limit=500");
        return page.Items.Count;
    }

    private static async Task<Guid> Admitted(TestAgent agent, string alias)
    {
        var id = Guid.CreateVersion7();
        await agent.Report(new SessionRequested(id, agent.Enrolment.ClientId, alias, "01", "10.0.0.1", "Tls13", "TLS_AES_256_GCM_SHA384", null, DateTimeOffset.UtcNow));
        await agent.Report(new SessionAuthenticated(id, agent.Enrolment.ClientId, alias, ["certificate 01", "attended"], null, DateTimeOffset.UtcNow));
        return id;
    }
}
