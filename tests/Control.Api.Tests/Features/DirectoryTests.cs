using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>Agents register where they accept sessions; operators look a client up by alias, number or id.</summary>
[Collection("api")]
public class DirectoryTests(ApiFixture api)
{
    [Fact]
    public async Task Registered_endpoint_is_found_by_alias_bare_name_number_and_id()
    {
        var org = await api.NewOrganization();
        var (_, tina) = await org.Operator("tina", "technician");
        using var agent = await org.Agent("door");
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Put("/agent/endpoint", new AgentEndpointRequest("192.0.2.10", 4433))).StatusCode);
        await agent.Policy();

        foreach (var target in new[] { $"door@{org.Slug}", "door", agent.Enrolment.ClientNumber, agent.Enrolment.ClientId.ToString() })
        {
            var entry = await tina.GetOk<DirectoryEntry>($"/directory/{Uri.EscapeDataString(target)}");
            Assert.Equal(agent.Enrolment.ClientId, entry.ClientId);
            Assert.Equal(agent.Enrolment.ClientNumber, entry.ClientNumber);
            Assert.Equal($"door@{org.Slug}", entry.Alias);
            Assert.Equal(("192.0.2.10", 4433), (entry.Host, entry.Port));
            Assert.Equal(agent.Enrolment.KeyFingerprint, entry.KeyFingerprint);
            Assert.True(entry.Online, target);
            Assert.NotNull(entry.LastSeen);
        }
    }

    [Fact]
    public async Task A_new_registration_replaces_the_old_endpoint()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        await agent.Http.Put("/agent/endpoint", new AgentEndpointRequest("old.example.net", 4433));
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Put("/agent/endpoint", new AgentEndpointRequest("2001:db8::7", 5000))).StatusCode);

        var entry = await org.Owner.GetOk<DirectoryEntry>($"/directory/{agent.Enrolment.ClientNumber}");
        Assert.Equal(("2001:db8::7", 5000), (entry.Host, entry.Port));
        Assert.False(entry.Online);
    }

    [Fact]
    public async Task Another_organizations_client_is_not_found()
    {
        var org = await api.NewOrganization();
        var other = await api.NewOrganization();
        using var agent = await org.Agent("door");
        await agent.Http.Put("/agent/endpoint", new AgentEndpointRequest("192.0.2.10", 4433));

        foreach (var target in new[] { $"door@{org.Slug}", agent.Enrolment.ClientNumber, agent.Enrolment.ClientId.ToString(), "nobody" })
        {
            await Client.Problem(await other.Owner.Get($"/directory/{Uri.EscapeDataString(target)}"), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_client_without_a_registered_endpoint_is_a_404_that_says_what_to_run()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");

        var problem = await Client.Problem(await org.Owner.Get($"/directory/door"), HttpStatusCode.NotFound);

        Assert.Contains("has not registered a session endpoint", problem.GetProperty("detail").GetString());
        Assert.Contains("control-agent run --listen", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("192.0.2.10", 0, "port")]
    [InlineData("192.0.2.10", 65536, "port")]
    [InlineData("192.0.2.10", null, "port")]
    [InlineData("", 4433, "host")]
    [InlineData(null, 4433, "host")]
    [InlineData("bad host", 4433, "host")]
    [InlineData("https://door.example.net", 4433, "host")]
    public async Task Bad_endpoint_is_a_400_with_a_field_error(string? host, int? port, string field)
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");

        var problem = await Client.Problem(await agent.Http.Put("/agent/endpoint", new AgentEndpointRequest(host, port)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        await Client.Problem(await org.Owner.Get("/directory/door"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Operators_register_no_endpoints_and_auditors_read_no_directory()
    {
        var org = await api.NewOrganization();
        var (_, auditor) = await org.Operator("audrey", "auditor");
        using var agent = await org.Agent("door");

        Assert.Contains((await org.Owner.Put("/agent/endpoint", new AgentEndpointRequest("192.0.2.10", 4433))).StatusCode, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden });
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.Get("/directory/door")).StatusCode);
    }
}
