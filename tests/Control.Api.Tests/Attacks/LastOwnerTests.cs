using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: an owner (or a stolen owner session) acting against the other owners, alone or in a race. Threat: leaving the
/// organization with no active owner, directly (two owners disabling each other at the same moment) or by an offboarding
/// that runs after its starter lost their account.
/// </summary>
[Collection("api")]
public class LastOwnerTests(ApiFixture api)
{
    [Fact]
    public async Task OwnersDisablingEachOther_AtTheSameMoment_LeaveOneActiveOwner()
    {
        for (var round = 0; round < 3; round++)
        {
            var org = await api.NewOrganization();
            var (bId, b) = await org.Operator("bea", "owner");

            var answers = await Task.WhenAll(
                org.Owner.Post($"/operators/{bId}/disable", new OperatorActionRequest("take over", null)),
                b.Post($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("take over", null)));

            var statuses = new[] { await org.StatusOf(org.OwnerId), await org.StatusOf(bId) };
            Assert.Contains("active", statuses);
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
            var refused = answers.Single(a => a.StatusCode != HttpStatusCode.OK);
            Assert.True(refused.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.Unauthorized, refused.StatusCode.ToString());
        }
    }

    [Fact]
    public async Task OffboardingOfTheLastOwner_AfterItsStarterWasDisabled_LeavesThatOwnerEnabled()
    {
        var org = await api.NewOrganization();
        var (bId, b) = await org.Operator("bea", "owner");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Bea", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("bea", null, null, "her account"));
        var started = await org.Owner.Start("Bea", DateTimeOffset.UtcNow.AddSeconds(4));
        await b.PostOk<JsonElement>($"/offboardings/{started.Id}/approve", new ReasonRequest("yes, I leave"));
        // Bea disables its starter before it runs: when it runs, she is the last active owner.
        await b.PostOk<OperatorActionResponse>($"/operators/{org.OwnerId}/disable", new OperatorActionRequest("I am the owner now", null));

        var done = await b.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");

        Assert.DoesNotContain(done.Steps[1].Changes, c => c.TargetKind == "operator");
        Assert.Contains(done.Steps[1].Notes, n => n.Contains("last active owner", StringComparison.Ordinal));
        Assert.Equal("active", await org.StatusOf(bId));
        Assert.True(await org.CanSignIn("bea"));
        var refused = await Client.Problem(await b.Post($"/operators/{bId}/disable", new OperatorActionRequest("x", null)), HttpStatusCode.Conflict);
        Assert.Equal("operator.self", refused.GetProperty("code").GetString());
    }
}
