using System.Net;
using System.Text.Json;
using Control.Api.Features.Offboardings;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Tracking;

namespace Control.Api.Tests.Features;

/// <summary>People, exposure, the offboarding saga through its seven steps with receipts, and the access review, on a real PostgreSQL.</summary>
[Collection("api")]
public class OffboardingTests(ApiFixture api)
{
    [Fact]
    public async Task Exposure_mode_rotates_what_the_person_knows_waits_for_receipts_and_proves_nothing_is_reachable()
    {
        var org = await api.NewOrganization();
        var (bobId, _) = await org.Operator("bob", "technician");
        var (_, hr) = await org.Operator("hannah", "hr");
        await org.Operator("shared", "technician");
        using var door = await org.Agent("door");
        using var till = await org.Agent("till");
        using var laptop = await org.Agent("bob-laptop");
        using var kiosk = await org.Agent("kiosk");
        var bob = $"bob@{org.Slug}";
        foreach (var agent in new[] { door, till })
        {
            await org.Change(agent, "acl-enable", new ClientChangeRequest("test"));
            await org.Change(agent, "acl-add", new ClientChangeRequest("test", Entry: bob));
        }

        await org.Change(kiosk, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(kiosk, "acl-add", new ClientChangeRequest("test", Entry: $"*@{org.Slug}"));
        await org.Change(door, "unattended-password", new ClientChangeRequest("test"));
        await org.Change(door, "unattended-enable", new ClientChangeRequest("test"));
        // bob signed in to door with its password and was given a remember-token on till (facts the agents report).
        await door.Report(new SessionAuthenticated(Guid.CreateVersion7(), door.Enrolment.ClientId, bob, ["certificate 01", "unattended password (SCRAM-SHA-256)"], null, DateTimeOffset.UtcNow));
        await till.Report(new RememberTokenIssued(Guid.CreateVersion7(), till.Enrolment.ClientId, bob, "tok1", "laptop", 0, DateTimeOffset.UtcNow));

        var person = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Bob Builder", "bob@example.com", "hired"));
        Assert.Equal(HttpStatusCode.Created, (await hr.Post("/people", new AddPersonRequest("Someone Else", null, "hired"))).StatusCode);
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("bob", null, null, "account"));
        await hr.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest(null, null, "bob-laptop", "their laptop"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("license-key", null, "had it in a note"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("operator-password", "shared", "shared account"));
        // HR may not edit ACLs directly, nor record knowledge.
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Post($"/clients/{door.Enrolment.ClientId}/acl-remove", new ClientChangeRequest("x", Entry: bob))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Post($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("license-key", null, "x"))).StatusCode);

        var exposure = await hr.GetOk<ExposureResponse>($"/people/{person.Id}/exposure");
        Assert.Equal(["license-key", "operator-password", "remember-token", "unattended-password"], exposure.Secrets.Select(s => s.Secret).Order().ToArray());
        var before = await hr.GetOk<ReachableByResponse>($"/access/reachable-by/{person.Id}");
        Assert.True(before.CanSignIn);
        Assert.Contains(before.Paths, p => p.Client == $"door@{org.Slug}" && p.Methods.Contains("unattended password (known)"));
        Assert.Contains(before.Paths, p => p.Client == $"till@{org.Slug}" && p.Methods.Contains("remember-token tok1"));

        // Invalid requests start nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await hr.Post("/offboardings", new StartOffboardingRequest("nobody", "left", null, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await hr.Post("/offboardings", new StartOffboardingRequest(person.Id.ToString(), " ", null, null, null))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await hr.Post("/offboardings", new StartOffboardingRequest(person.Id.ToString(), "left", "some", null, null))).StatusCode);
        Assert.Equal("active", (await hr.GetOk<PersonResponse>($"/people/{person.Id}")).Status);

        var agents = new[] { door, till, laptop, kiosk };
        var started = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest("bob@example.com", "left the company", null, null, 30)), HttpStatusCode.Accepted);
        Assert.Equal(HttpStatusCode.Conflict, (await hr.Post("/offboardings", new StartOffboardingRequest(person.Id.ToString(), "again", null, null, null))).StatusCode);
        var waiting = await hr.Until(started.Id, o => o.Status is "awaiting-receipts" or "completed");
        Assert.All(waiting.Steps, s => Assert.Equal("done", s.Status));

        // Every agent fetches its new policy and signs a receipt for it.
        foreach (var agent in agents)
        {
            var policy = await agent.Policy();
            Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Post("/agent/ack", agent.Receipt(policy))).StatusCode);
        }

        var done = await hr.Until(started.Id, o => o.Status == "completed");
        Assert.Equal(0, done.PendingReceipts);
        Assert.All(done.Receipts, r => Assert.Equal("received", r.Status));
        Assert.Contains(done.Receipts, r => r.ClientId == door.Enrolment.ClientId);

        string[] Events(int step) => [.. done.Steps[step - 1].Changes.Select(c => $"{c.Target}:{c.Event}")];
        Assert.Equal([$"bob-laptop@{org.Slug}:ClientRemoved"], Events(1));
        Assert.Contains($"{bob}:OperatorDisabled", Events(2));
        Assert.Contains($"shared@{org.Slug}:OperatorPasswordReset", Events(2));
        Assert.Equal([$"{org.Slug}:LicenseKeyReset"], Events(3));
        Assert.Empty(Events(4));
        Assert.Equal([$"till@{org.Slug}:TokensCleared"], Events(5));
        Assert.Equal([$"door@{org.Slug}:UnattendedPasswordSet"], Events(6));
        // The ACL step ends by closing the person's record (their aliases released), in the transaction of its last changes.
        Assert.Equal([$"{person.Name}:PersonOffboarded", $"door@{org.Slug}:AclEntryRemoved", $"till@{org.Slug}:AclEntryRemoved"], Events(7).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(done.Steps[6].Notes, n => n.Contains($"*@{org.Slug}") && n.Contains(bob));

        // Afterwards: bob knows nothing current, can sign in nowhere, reaches nothing; the old license key enrols nothing.
        Assert.Empty((await hr.GetOk<ExposureResponse>($"/people/{person.Id}/exposure")).Secrets);
        var after = await hr.GetOk<ReachableByResponse>($"/access/reachable-by/{person.Id}");
        Assert.False(after.CanSignIn);
        Assert.Empty(after.Paths);
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.Fixture.Anonymous().Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, null))).StatusCode);
        var who = await org.Owner.GetOk<WhoCanReachResponse>($"/access/who-can-reach/door");
        Assert.DoesNotContain(who.Paths, p => p.ViewerAlias == bob);
        Assert.Equal("offboarded", (await hr.GetOk<PersonResponse>($"/people/{person.Id}")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await hr.Post("/offboardings", new StartOffboardingRequest(person.Id.ToString(), "again", null, null, null))).StatusCode);

        // The report proves it; the sealed new password is revealed to an admin who asks, as an event.
        var report = await org.Owner.GetOk<OffboardingReport>($"/offboardings/{started.Id}/report");
        Assert.Empty(report.AccessReview.Paths);
        Assert.NotNull(report.SecondsToLastReceipt);
        var markdown = await (await hr.Get($"/offboardings/{started.Id}/report?format=md")).Content.ReadAsStringAsync();
        Assert.Contains("Reachable clients: **none**", markdown);
        Assert.Contains("LicenseKeyReset", markdown);
        var sealedSecrets = await hr.GetOk<List<SealedSecretSummary>>($"/offboardings/{started.Id}/sealed-secrets");
        Assert.Equal(["new license key", $"new unattended password of door@{org.Slug}"], sealedSecrets.Select(s => s.Label).ToArray());
        Assert.All(sealedSecrets, s => Assert.False(s.Replaced));
        var doorSecret = Assert.Single(sealedSecrets, s => s.Secret == "unattended-password");
        Assert.Equal(door.Enrolment.ClientId, doorSecret.SubjectId);
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Post($"/clients/{doorSecret.SubjectId}/unattended/reveal", new ReasonRequest("curious"))).StatusCode);
        var revealed = await org.Owner.PostOk<RevealedSecretResponse>($"/clients/{doorSecret.SubjectId}/unattended/reveal", new ReasonRequest("hand over"));
        Assert.False(string.IsNullOrEmpty(revealed.Value));
        // The revealed password is the one the client's verifier was derived from (ahead of need in the pool, or on the spot).
        await using (var query = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(org.Slug))
        {
            var verifier = (await query.LoadAsync<Domain.Clients.Client>(door.Enrolment.ClientId))!.Unattended.Verifier!;
            Assert.Equal(verifier.StoredKey, Scram.CreateVerifier(revealed.Value, Convert.FromBase64String(verifier.Salt), verifier.Iterations).StoredKey);
        }

        Assert.DoesNotContain(revealed.Value, await (await hr.Get($"/offboardings/{started.Id}/sealed-secrets")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await hr.Get($"/offboardings/{Guid.CreateVersion7()}/sealed-secrets")).StatusCode);

        // Re-enabling the account does not bring the alias back: it was released, no certificate names it again.
        Assert.Equal(HttpStatusCode.OK, (await org.Owner.Post($"/operators/{bobId}/enable", new OperatorActionRequest("rehired by mistake", null))).StatusCode);
        var bobAgain = org.Fixture.Anonymous();
        bobAgain.Token = (await bobAgain.Login(org.Slug, "bob", ApiFixture.Password)).AccessToken;
        using var viewerKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var refused = await Client.Problem(await bobAgain.Post("/me/viewer-certificate",
            new ViewerCertificateRequest(Convert.ToBase64String(viewerKey.ExportSubjectPublicKeyInfo()))), HttpStatusCode.Forbidden);
        Assert.Equal("viewer.alias_released", refused.GetProperty("code").GetString());

        // Redelivering a finished step changes nothing (the saga is done; a step id is never run twice).
        using var scope = api.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await bus.InvokeForTenantAsync(org.Slug, new RunOffboardingStep(started.Id, 6));
        var again = await hr.GetOk<OffboardingResponse>($"/offboardings/{started.Id}");
        Assert.Equal(done.Version, again.Version);
        await ProjectionVersions.AssertMatchStreams(api, org.Slug);
    }

    [Fact]
    public async Task The_ACL_step_changes_each_client_once_in_batches_committed_side_by_side()
    {
        // The test host: batches of one client, two at a time; five clients name the person, so three rounds of batches
        // commit in transactions of their own before the step's last (empty) batch closes the person's record.
        var org = await api.NewOrganization();
        await org.Operator("vera", "technician");
        var vera = $"vera@{org.Slug}";
        var agents = new List<TestAgent>();
        for (var i = 0; i < 5; i++)
        {
            var agent = await org.Agent($"desk{i}");
            agents.Add(agent);
            await org.Change(agent, "acl-enable", new ClientChangeRequest("test"));
            await org.Change(agent, "acl-add", new ClientChangeRequest("test", Entry: vera));
        }

        try
        {
            var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Vera", null, "hired"));
            await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("vera", null, null, "account"));
            var started = await Client.Read<OffboardingResponse>(
                await org.Owner.Post("/offboardings", new StartOffboardingRequest("Vera", "left", null, null, 30)), HttpStatusCode.Accepted);
            var done = await org.Owner.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");

            // Every client changed exactly once, each change recorded once in the step (folded from the batches' records).
            var step7 = done.Steps[6].Changes.Select(c => $"{c.Target}:{c.Event}").Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(["Vera:PersonOffboarded", .. Enumerable.Range(0, 5).Select(i => $"desk{i}@{org.Slug}:AclEntryRemoved")], step7);
            foreach (var agent in agents)
            {
                var detail = await org.Owner.GetOk<ClientDetail>($"/clients/{agent.Enrolment.ClientId}");
                Assert.DoesNotContain(vera, detail.AclEntries);
            }

            Assert.Equal(5, done.Receipts.Count(r => agents.Any(a => a.Enrolment.ClientId == r.ClientId)));
            await using var session = api.Host.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession(org.Slug);
            Assert.Empty(await Marten.QueryableExtensions.ToListAsync(session.Query<OffboardingBatch>().Where(b => b.OffboardingId == started.Id)));
        }
        finally
        {
            agents.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task A_scheduled_offboarding_can_be_cancelled_and_a_person_who_knows_nothing_is_still_disabled()
    {
        var org = await api.NewOrganization();
        var (_, hr) = await org.Operator("hera", "hr");
        await org.Operator("dan", "technician");
        var person = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Dan", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("dan", null, null, "account"));

        var scheduled = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest("Dan", "leaving end of month", "full", DateTimeOffset.UtcNow.AddHours(1), null)), HttpStatusCode.Accepted);
        Assert.Equal("scheduled", scheduled.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await hr.Post($"/offboardings/{scheduled.Id}/cancel", new ReasonRequest(""))).StatusCode);
        var cancelled = await hr.PostOk<OffboardingResponse>($"/offboardings/{scheduled.Id}/cancel", new ReasonRequest("stays after all"));
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal("active", (await hr.GetOk<PersonResponse>($"/people/{person.Id}")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await hr.Post($"/offboardings/{scheduled.Id}/cancel", new ReasonRequest("again"))).StatusCode);

        // Run at once: dan knows nothing and has no clients, yet his account is disabled; no agent had to change, so the
        // offboarding is complete once the step messages the request started have all been handled (a tracked session).
        OffboardingResponse now = null!;
        async Task Start(IMessageContext _) => now = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest("Dan", "left", null, null, null)), HttpStatusCode.Accepted);
        await api.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<IMessageContext, Task>)Start);
        var done = await hr.GetOk<OffboardingResponse>($"/offboardings/{now.Id}");
        Assert.Equal("completed", done.Status);
        Assert.Contains(done.Steps[1].Changes, c => c.Event == "OperatorDisabled");
        Assert.Empty(await hr.GetOk<List<SealedSecretSummary>>($"/offboardings/{now.Id}/sealed-secrets"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await org.Fixture.Anonymous().Post("/auth/login", new LoginRequest(org.Slug, "dan", ApiFixture.Password, null, null))).StatusCode);
        var cancelledLater = await hr.GetOk<OffboardingResponse>($"/offboardings/{scheduled.Id}");
        Assert.Equal("cancelled", cancelledLater.Status);

        // A scheduled one that is not cancelled starts by itself at its time (a Wolverine scheduled message in PostgreSQL).
        await org.Operator("gus", "technician");
        var gus = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Gus", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{gus.Id}/links", new LinkPersonRequest("gus", null, null, "account"));
        var at = DateTimeOffset.UtcNow.AddSeconds(3);
        var later = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest("Gus", "leaves in a moment", null, at, null)), HttpStatusCode.Accepted);
        Assert.Equal("scheduled", (await hr.GetOk<OffboardingResponse>($"/offboardings/{later.Id}")).Status);
        var ran = await hr.Until(later.Id, o => o.Status == "completed");
        Assert.True(ran.StartedAt >= at, $"started {ran.StartedAt:O}, scheduled for {at:O}");
    }

    [Fact]
    public async Task Full_mode_rotates_everything_they_could_reach_and_a_person_who_joins_later_is_not_affected()
    {
        var org = await api.NewOrganization();
        await org.Operator("dan", "technician");
        using var open = await org.Agent("open");
        using var team = await org.Agent("team");
        using var other = await org.Agent("other");
        await org.Change(team, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(team, "acl-add", new ClientChangeRequest("test", Entry: $"*@{org.Slug}"));
        await org.Change(other, "acl-enable", new ClientChangeRequest("test"));
        await org.Change(other, "acl-add", new ClientChangeRequest("test", Entry: $"someone@{org.Slug}"));
        foreach (var agent in new[] { open, team, other })
        {
            await org.Change(agent, "unattended-password", new ClientChangeRequest("test"));
        }

        await org.Owner.PostOk<CustomClientCreatedResponse>("/custom-clients", new CreateCustomClientRequest("public-one", null, true, null, "test"));
        await org.Owner.PostOk<CustomClientCreatedResponse>("/custom-clients", new CreateCustomClientRequest("private-one", null, false, null, "test"));
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Dan", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("dan", null, null, "account"));
        Assert.Empty((await org.Owner.GetOk<ExposureResponse>($"/people/{person.Id}/exposure")).Secrets);

        var started = await Client.Read<OffboardingResponse>(
            await org.Owner.Post("/offboardings", new StartOffboardingRequest("Dan", "left", "full", null, 1)), HttpStatusCode.Accepted);
        var done = await org.Owner.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");
        string[] Events(int step) => [.. done.Steps[step - 1].Changes.Select(c => $"{c.Target}:{c.Event}").Order()];
        Assert.Equal([$"{org.Slug}:LicenseKeyReset"], Events(3));
        Assert.Equal(["public-one:CustomClientTokenRotated", "public-one:CustomClientVisibilitySet"], Events(4));
        Assert.Equal([$"open@{org.Slug}:UnattendedPasswordSet", $"team@{org.Slug}:UnattendedPasswordSet"], Events(6));
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await Client.Problem(await org.Fixture.Anonymous().Post("/agent/enroll",
            new EnrollRequest(org.LicenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), null, "h")), HttpStatusCode.Unauthorized);

        // Someone who joins afterwards is reached through the same wildcard: the offboarding touched only Dan.
        await org.Operator("erin", "technician");
        var erin = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Erin", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{erin.Id}/links", new LinkPersonRequest("erin", null, null, "account"));
        var reach = await org.Owner.GetOk<ReachableByResponse>($"/access/reachable-by/{erin.Id}");
        Assert.True(reach.CanSignIn);
        Assert.Equal([$"open@{org.Slug}", $"team@{org.Slug}"], reach.Paths.Select(p => p.Client).Distinct().Order().ToArray());
        Assert.Empty((await org.Owner.GetOk<ReachableByResponse>($"/access/reachable-by/{person.Id}")).Paths);
    }

    [Fact]
    public async Task An_offline_agent_leaves_the_offboarding_completed_with_pending_until_it_comes_back()
    {
        var org = await api.NewOrganization();
        await org.Operator("eve", "technician");
        using var online = await org.Agent("online");
        using var offline = await org.Agent("offline");
        foreach (var agent in new[] { online, offline })
        {
            await org.Change(agent, "acl-enable", new ClientChangeRequest("test"));
            await org.Change(agent, "acl-add", new ClientChangeRequest("test", Entry: $"eve@{org.Slug}"));
        }

        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Eve", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("eve", null, null, "account"));
        var started = await Client.Read<OffboardingResponse>(
            await org.Owner.Post("/offboardings", new StartOffboardingRequest("Eve", "left", null, null, 2)), HttpStatusCode.Accepted);
        await org.Owner.Until(started.Id, o => o.Status == "awaiting-receipts");
        var policy = await online.Policy();
        await online.Http.Post("/agent/ack", online.Receipt(policy));

        var pending = await org.Owner.Until(started.Id, o => o.Status == "completed-with-pending");
        Assert.Equal(1, pending.PendingReceipts);
        Assert.Equal("offline", pending.Receipts.Single(r => r.ClientId == offline.Enrolment.ClientId).Status);

        var late = await offline.Policy();
        await offline.Http.Post("/agent/ack", offline.Receipt(late));
        var whole = await org.Owner.Until(started.Id, o => o.Status == "completed");
        Assert.All(whole.Receipts, r => Assert.Equal("received", r.Status));
    }

    [Fact]
    public async Task Exposure_ends_when_someone_else_rotates_the_secret()
    {
        var org = await api.NewOrganization();
        await org.Operator("fay", "technician");
        using var agent = await org.Agent("box");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Fay", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("fay", null, null, "account"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("unattended-password", "box", "told"));
        Assert.Single((await org.Owner.GetOk<ExposureResponse>($"/people/{person.Id}/exposure")).Secrets);
        Assert.Equal(HttpStatusCode.BadRequest, (await org.Owner.Post($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("nonsense", "box", "x"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await org.Owner.Post($"/people/{person.Id}/links", new LinkPersonRequest(null, "*@x", null, "x"))).StatusCode);

        await org.Change(agent, "unattended-password", new ClientChangeRequest("routine rotation"));
        Assert.Empty((await org.Owner.GetOk<ExposureResponse>($"/people/{person.Id}/exposure")).Secrets);
    }
}
