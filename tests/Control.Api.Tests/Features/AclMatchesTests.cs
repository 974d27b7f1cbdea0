using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary><c>GET /acl/matches</c>: which known identities an ACL entry admits, within the caller's organization only.</summary>
[Collection("api")]
public class AclMatchesTests(ApiFixture api)
{
    [Fact]
    public async Task Matches_list_operators_people_and_clients_the_entry_admits_and_nothing_of_another_organization()
    {
        var org = await api.NewOrganization();
        var other = await api.NewOrganization();
        await org.Operator("eu-support", "technician");
        await org.Operator("bob", "technician");
        await other.Operator("us-support", "technician");
        using var desk = await org.Agent("desk");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Zoe Example", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest(null, $"zoe@{org.Slug}", null, "her alias"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest(null, null, "desk", "her laptop"));

        var support = await Matches(org, $"*-support@{org.Slug}");
        Assert.Equal("wildcard", support.Kind);
        var eu = Assert.Single(support.Matches);
        Assert.Equal($"eu-support@{org.Slug}", eu.Identity);
        Assert.Equal(["operator (technician)"], eu.KnownAs);

        var everyoneHere = await Matches(org, $"*@{org.Slug}");
        Assert.Equal(
            [$"bob@{org.Slug}", $"desk@{org.Slug}", $"eu-support@{org.Slug}", $"owner@{org.Slug}", $"zoe@{org.Slug}"],
            everyoneHere.Matches.Select(m => m.Identity));
        Assert.Equal(["Zoe Example"], everyoneHere.Matches.Single(m => m.Identity == $"zoe@{org.Slug}").People);
        Assert.Equal([$"client desk@{org.Slug} (of Zoe Example)"], everyoneHere.Matches.Single(m => m.Identity == $"desk@{org.Slug}").KnownAs);

        var number = await Matches(org, desk.Enrolment.ClientNumber);
        Assert.Equal("client-number", number.Kind);
        Assert.Equal(["Zoe Example"], Assert.Single(number.Matches).People);

        var everyone = await Matches(org, "*");
        Assert.Equal(everyone.Total, everyone.Matches.Count);
        Assert.DoesNotContain(everyone.Matches, m => m.Identity.EndsWith("@" + other.Slug, StringComparison.Ordinal));
        Assert.Empty((await Matches(org, $"*@{other.Slug}")).Matches);
    }

    [Fact]
    public async Task A_malformed_entry_is_a_validation_problem_and_a_technician_may_not_ask()
    {
        var org = await api.NewOrganization();
        var problem = await Client.Problem(await org.Owner.Get("/acl/matches?entry=alice"), HttpStatusCode.BadRequest);
        Assert.Contains("not an alias", problem.GetProperty("errors").GetProperty("entry")[0].GetString(), StringComparison.Ordinal);
        await Client.Problem(await org.Owner.Get("/acl/matches"), HttpStatusCode.BadRequest);

        var (_, technician) = await org.Operator("tom", "technician");
        Assert.Equal(HttpStatusCode.Forbidden, (await technician.Get($"/acl/matches?entry=*@{org.Slug}")).StatusCode);
    }

    private static Task<AclMatchesResponse> Matches(Organization org, string entry) =>
        org.Owner.GetOk<AclMatchesResponse>($"/acl/matches?entry={Uri.EscapeDataString(entry)}");
}
