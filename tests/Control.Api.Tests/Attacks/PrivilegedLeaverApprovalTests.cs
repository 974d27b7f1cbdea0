using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: one operator alone (hr, or an owner) who offboards a person linked to an owner or security-admin account.
/// Threat: taking the organization's administrators out with no second person agreeing (the two-person rule).
/// </summary>
[Collection("api")]
public class PrivilegedLeaverApprovalTests(ApiFixture api)
{
    [Fact]
    public async Task OffboardingOfPrivilegedLeaver_UntilAnotherOwnerApproves_ChangesNothing()
    {
        var org = await api.NewOrganization();
        var (samId, _) = await org.Operator("sam", "security-admin");
        var (_, hr) = await org.Operator("hannah", "hr");
        var (_, bea) = await org.Operator("bea", "owner");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Sam", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("sam", null, null, "his account"));

        var started = await org.Owner.Start("Sam");
        var waiting = await hr.AfterItsFirstStepHadItsChance(started.Id);
        Assert.Equal("awaiting-approval", waiting.GetProperty("status").GetString());
        Assert.Contains("waiting for approval by another owner", waiting.GetProperty("waiting").GetString());
        Assert.All(waiting.GetProperty("steps").EnumerateArray(), s => Assert.Equal("pending", s.GetProperty("status").GetString()));
        Assert.Equal("active", await org.StatusOf(samId));

        var own = await Client.Problem(await org.Owner.Post($"/offboardings/{started.Id}/approve", new ReasonRequest("me")), HttpStatusCode.Forbidden);
        Assert.Equal("offboarding.own_approval", own.GetProperty("code").GetString());
        var notOwner = await Client.Problem(await hr.Post($"/offboardings/{started.Id}/approve", new ReasonRequest("me")), HttpStatusCode.Forbidden);
        Assert.Equal("offboarding.approver_not_owner", notOwner.GetProperty("code").GetString());
        Assert.Equal("awaiting-approval", (await hr.GetOk<JsonElement>($"/offboardings/{started.Id}")).GetProperty("status").GetString());

        var approved = await bea.PostOk<JsonElement>($"/offboardings/{started.Id}/approve", new ReasonRequest("he left"));
        Assert.Equal($"bea@{org.Slug}", approved.GetProperty("approvedBy").GetString());
        var done = await hr.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");
        Assert.Contains(done.Steps[1].Changes, c => c.Target == $"sam@{org.Slug}" && c.Event == "OperatorDisabled");
        Assert.Equal("disabled", await org.StatusOf(samId));
    }

    [Fact]
    public async Task ScheduledOffboardingOfPrivilegedLeaver_WaitingForApproval_CanBeCancelledAndNeverRuns()
    {
        var org = await api.NewOrganization();
        var (samId, _) = await org.Operator("sam", "security-admin");
        var (_, hr) = await org.Operator("hannah", "hr");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Sam", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("sam", null, null, "his account"));

        // Its time comes and goes while it waits: still nothing changes.
        var started = await hr.Start("Sam", DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal("awaiting-approval", (await hr.AfterItsFirstStepHadItsChance(started.Id)).GetProperty("status").GetString());
        Assert.Equal("active", await org.StatusOf(samId));

        var cancelled = await hr.PostOk<OffboardingResponse>($"/offboardings/{started.Id}/cancel", new ReasonRequest("he stays"));
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal("active", (await hr.GetOk<PersonResponse>($"/people/{person.Id}")).Status);
        await Client.Problem(await org.Owner.Post($"/offboardings/{started.Id}/approve", new ReasonRequest("late")), HttpStatusCode.Conflict);
        Assert.Equal("active", await org.StatusOf(samId));
    }
}
