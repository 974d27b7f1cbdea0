using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class OperatorAdminTests(ApiFixture api)
{
    [Fact]
    public async Task Invited_operator_activates_with_the_code_once_and_signs_in()
    {
        var org = await api.NewOrganization();
        var invited = await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("carol", "auditor", "new auditor"));
        var anonymous = api.Anonymous();

        await Client.Problem(await anonymous.Post("/auth/login", new LoginRequest(org.Slug, "carol", ApiFixture.Password, null, null)), HttpStatusCode.Unauthorized);
        var wrong = await Client.Problem(
            await anonymous.Post("/auth/activate", new ActivateRequest(org.Slug, "carol", "AAAA-AAAA-AAAA-AAAA", ApiFixture.Password)), HttpStatusCode.BadRequest);
        Assert.Equal("operator.activation_invalid", wrong.GetProperty("code").GetString());

        var ok = await anonymous.Post("/auth/activate", new ActivateRequest(org.Slug, "carol", invited.ActivationCode, ApiFixture.Password));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        var again = await anonymous.Post("/auth/activate", new ActivateRequest(org.Slug, "carol", invited.ActivationCode, "yet another passphrase here"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        var tokens = await anonymous.Login(org.Slug, "carol", ApiFixture.Password);
        Assert.Equal("auditor", tokens.Operator.Role);
    }

    [Fact]
    public async Task Invalid_input_gives_field_errors_and_appends_no_event()
    {
        var org = await api.NewOrganization();
        var before = await EventCount(org.Slug);

        var problem = await Client.Problem(
            await org.Owner.Post("/operators", new InviteOperatorRequest("Not Valid!", "emperor", "")), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("username", out _));
        Assert.True(errors.TryGetProperty("role", out _));
        Assert.True(errors.TryGetProperty("reason", out _));

        await Client.Problem(await org.Owner.Post("/operators", "{not json"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("", null)), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("x", -3)), HttpStatusCode.BadRequest);
        Assert.Equal(before, await EventCount(org.Slug));
    }

    [Fact]
    public async Task An_operator_of_another_organization_is_not_found()
    {
        var acme = await api.NewOrganization();
        var globex = await api.NewOrganization();
        var (bobId, _) = await acme.Operator("bob", "technician");

        await Client.Problem(await globex.Owner.Post($"/operators/{bobId}/disable", new OperatorActionRequest("hostile", null)), HttpStatusCode.NotFound);
        var theirs = await globex.Owner.GetOk<List<OperatorSummary>>("/operators");
        Assert.DoesNotContain(theirs, o => o.Id == bobId);
        var audit = await globex.Owner.GetOk<AuditEventPage>("/audit/events?limit=500");
        Assert.DoesNotContain(audit.Items, e => e.StreamId == bobId);
    }

    [Fact]
    public async Task Two_concurrent_updates_with_the_same_version_give_one_success_and_one_conflict()
    {
        var org = await api.NewOrganization();
        var (bobId, _) = await org.Operator("bob", "technician");
        var seen = (await org.Owner.GetOk<List<OperatorSummary>>("/operators")).Single(o => o.Id == bobId).Version;

        var responses = await Task.WhenAll(
            org.Owner.Post($"/operators/{bobId}/disable", new OperatorActionRequest("first admin", seen)),
            org.Owner.Post($"/operators/{bobId}/reset-password", new OperatorActionRequest("second admin", seen)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order().ToArray());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        await Client.Problem(loser, HttpStatusCode.Conflict);

        // A stale version is refused even without a race.
        await Client.Problem(await org.Owner.Post($"/operators/{bobId}/enable", new OperatorActionRequest("stale", seen)), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Roles_limit_who_manages_whom()
    {
        var org = await api.NewOrganization();
        var (_, tech) = await org.Operator("tech", "technician");
        var (_, admin) = await org.Operator("sec", "security-admin");
        var (auditorId, auditor) = await org.Operator("aud", "auditor");

        await Client.Problem(await tech.Get("/operators"), HttpStatusCode.Forbidden);
        await Client.Problem(await tech.Get("/audit/events"), HttpStatusCode.Forbidden);
        await Client.Problem(await auditor.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("coup", null)), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await auditor.Get("/audit/events")).StatusCode);

        var notOwner = await Client.Problem(
            await admin.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("coup", null)), HttpStatusCode.Forbidden);
        Assert.Equal("operator.not_manageable", notOwner.GetProperty("code").GetString());
        await Client.Problem(await admin.Post("/operators", new InviteOperatorRequest("owner2", "owner", "escalation")), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await admin.Post($"/operators/{auditorId}/disable", new OperatorActionRequest("rotation", null))).StatusCode);

        await Client.Problem(await org.Owner.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("oops", null)), HttpStatusCode.Conflict);
        await Client.Problem(await api.Anonymous().Get("/operators"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_list_says_per_row_whether_the_caller_may_manage_it()
    {
        var org = await api.NewOrganization();
        var (technicianId, _) = await org.Operator("tech", "technician");
        var (adminId, admin) = await org.Operator("sec", "security-admin");
        var (_, auditor) = await org.Operator("aud", "auditor");

        var asAdmin = (await admin.GetOk<List<OperatorSummary>>("/operators")).ToDictionary(o => o.Id, o => o.CallerMayManage);
        Assert.False(asAdmin[org.OwnerId]);
        Assert.False(asAdmin[adminId]);
        Assert.True(asAdmin[technicianId]);
        var asOwner = (await org.Owner.GetOk<List<OperatorSummary>>("/operators")).ToDictionary(o => o.Id, o => o.CallerMayManage);
        Assert.False(asOwner[org.OwnerId]);
        Assert.True(asOwner[adminId]);
        Assert.All(await auditor.GetOk<List<OperatorSummary>>("/operators"), o => Assert.False(o.CallerMayManage));
    }

    [Fact]
    public async Task Duplicate_username_is_a_conflict()
    {
        var org = await api.NewOrganization();
        await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("dave", "hr", "hire"));
        var again = await Client.Problem(await org.Owner.Post("/operators", new InviteOperatorRequest("dave", "hr", "hire")), HttpStatusCode.Conflict);
        Assert.Equal("operator.username_taken", again.GetProperty("code").GetString());
    }

    private Task<long> EventCount(string tenant) => api.Database.Scalar($"select count(*) from control.mt_events where tenant_id = '{tenant}'");
}
