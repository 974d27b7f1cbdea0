using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: an hr operator or a security-admin. Threat: recording a made-up person, linking to it an account they may not
/// manage (an owner's, by username or by its alias as an identity), and offboarding that person so that the saga disables the
/// account and releases its alias for them.
/// </summary>
[Collection("api")]
public class LinkingAccountsWithoutAuthorityTests(ApiFixture api)
{
    [Fact]
    public async Task HrLink_OwnerAccountToMadeUpPerson_IsRefusedAndItsOffboardingLeavesTheOwnerEnabled()
    {
        var org = await api.NewOrganization();
        var (_, hr) = await org.Operator("mallory", "hr");
        var fake = await hr.PostOk<PersonResponse>("/people", new AddPersonRequest("Made Up", null, "new hire"));

        var byAccount = await Client.Problem(await hr.Post($"/people/{fake.Id}/links", new LinkPersonRequest("owner", null, null, "his account")), HttpStatusCode.Forbidden);
        Assert.Equal("Your role may not manage this operator.", byAccount.GetProperty("detail").GetString());
        await Client.Problem(await hr.Post($"/people/{fake.Id}/links", new LinkPersonRequest(null, $"owner@{org.Slug}", null, "his alias")), HttpStatusCode.Forbidden);
        // hr may not link any account (it manages none directly), not only owners'.
        await org.Operator("tina", "technician");
        await Client.Problem(await hr.Post($"/people/{fake.Id}/links", new LinkPersonRequest("tina", null, null, "her account")), HttpStatusCode.Forbidden);
        var person = await hr.GetOk<PersonResponse>($"/people/{fake.Id}");
        Assert.Empty(person.Operators);
        Assert.Empty(person.Identities);

        var started = await hr.Start("Made Up");
        var done = await hr.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");
        Assert.DoesNotContain(done.Steps.SelectMany(s => s.Changes), c => c.TargetKind == "operator");
        Assert.Equal("active", await org.StatusOf(org.OwnerId));
        Assert.True(await org.CanSignIn("owner"));
        Assert.Empty((await hr.GetOk<PersonResponse>($"/people/{fake.Id}")).ReleasedAliases);
    }

    [Fact]
    public async Task SecurityAdminLink_OwnerAccountOrAlias_IsRefused()
    {
        var org = await api.NewOrganization();
        var (_, admin) = await org.Operator("sam", "security-admin");
        var fake = await admin.PostOk<PersonResponse>("/people", new AddPersonRequest("Made Up", null, "new hire"));

        await Client.Problem(await admin.Post($"/people/{fake.Id}/links", new LinkPersonRequest("owner", null, null, "his account")), HttpStatusCode.Forbidden);
        await Client.Problem(await admin.Post($"/people/{fake.Id}/links", new LinkPersonRequest(null, $"OWNER@{org.Slug}", null, "his alias")), HttpStatusCode.Forbidden);
        // Nor their own account (nobody manages themselves); a technician's they may.
        await Client.Problem(await admin.Post($"/people/{fake.Id}/links", new LinkPersonRequest("sam", null, null, "mine")), HttpStatusCode.Conflict);
        await org.Operator("tina", "technician");
        await admin.PostOk<PersonResponse>($"/people/{fake.Id}/links", new LinkPersonRequest("tina", null, null, "her account"));
        Assert.Equal([$"tina@{org.Slug}"], (await admin.GetOk<PersonResponse>($"/people/{fake.Id}")).Operators.Select(o => o.Alias).ToArray());
    }
}
