using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: a security-admin. Threat: having an offboarding do what their role may not do by hand (the saga used to
/// act as an owner): reset an owner's password through a made-up person who "knows" it, or disable an owner linked to a
/// person, even once another owner approved the offboarding.
/// </summary>
[Collection("api")]
public class OffboardingWithOwnerPowersTests(ApiFixture api)
{
    [Fact]
    public async Task SecurityAdminOffboarding_MadeUpPersonWhoKnowsTheOwnersPassword_LeavesTheOwnerAlone()
    {
        var org = await api.NewOrganization();
        var (_, admin) = await org.Operator("sam", "security-admin");
        var fake = await admin.PostOk<PersonResponse>("/people", new AddPersonRequest("Made Up", null, "new hire"));
        await admin.PostOk<PersonResponse>($"/people/{fake.Id}/knowledge", new RecordKnowledgeRequest("operator-password", "owner", "saw it on a note"));

        var started = await admin.Start("Made Up");
        var done = await admin.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");

        Assert.DoesNotContain(done.Steps[1].Changes, c => c.TargetKind == "operator");
        Assert.Contains(done.Steps[1].Notes, n => n.Contains($"owner@{org.Slug}", StringComparison.Ordinal) && n.Contains("skipped", StringComparison.Ordinal));
        Assert.True(await org.CanSignIn("owner"));
    }

    [Fact]
    public async Task SecurityAdminOffboarding_PersonLinkedToAnOwner_NeverDisablesTheOwnerEvenWhenApproved()
    {
        var org = await api.NewOrganization();
        var (olgaId, _) = await org.Operator("olga", "owner");
        var (_, admin) = await org.Operator("sam", "security-admin");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Olga", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("olga", null, null, "her account"));

        var started = await admin.Start("Olga");
        Assert.Equal("awaiting-approval", started.Status);
        Assert.Equal("awaiting-approval", (await admin.AfterItsFirstStepHadItsChance(started.Id)).GetProperty("status").GetString());
        Assert.Equal("active", await org.StatusOf(olgaId));
        await Client.Problem(await admin.Post($"/offboardings/{started.Id}/approve", new ReasonRequest("I approve my own")), HttpStatusCode.Forbidden);

        await org.Owner.PostOk<JsonElement>($"/offboardings/{started.Id}/approve", new ReasonRequest("she really left"));
        var done = await admin.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");

        Assert.DoesNotContain(done.Steps[1].Changes, c => c.TargetKind == "operator");
        Assert.Contains(done.Steps[1].Notes, n => n.Contains($"olga@{org.Slug}", StringComparison.Ordinal) && n.Contains("skipped", StringComparison.Ordinal));
        Assert.Equal("active", await org.StatusOf(olgaId));
        Assert.True(await org.CanSignIn("olga"));
        // Nor is her alias released: the offboarding had no authority over the account it names.
        Assert.Empty((await org.Owner.GetOk<PersonResponse>($"/people/{person.Id}")).ReleasedAliases);
    }
}
