using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: an enrolled agent (its credential, or the machine's owner with a hand-made client). Threat: it picks the
/// session id of its events so that they land in a stream that is not a new session of its own: the client's own stream
/// (corrupting the client's history and versions), another client's session (forging what happened there) or another
/// organization's session. A session id must name a new stream or a session this client started.
/// </summary>
[Collection("api")]
public class SessionStreamHijackTests(ApiFixture api)
{
    [Fact]
    public async Task SessionId_EqualToTheClientsOwnStream_IsRefusedAndTheClientStreamIsUntouched()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("desk");
        var client = agent.Enrolment.ClientId;
        var before = await org.Stream(client);

        var response = await agent.PostSessionEvents(
            SessionReports.Requested(client, client), new SessionClosed(client, client, "agent", "forged", 1, 0, 0, DateTimeOffset.UtcNow));

        await Client.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal(before.Select(e => e.EventId), (await org.Stream(client)).Select(e => e.EventId));
        Assert.Equal(HttpStatusCode.NotFound, (await org.Owner.Get($"/sessions/{client}")).StatusCode);
    }

    [Fact]
    public async Task SessionId_OfAnotherClientsSession_IsRefusedWhateverClientItNames()
    {
        var org = await api.NewOrganization();
        using var victim = await org.Agent("door");
        using var intruder = await org.Agent("desk");
        var session = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await victim.PostSessionEvents(SessionReports.Requested(session, victim.Enrolment.ClientId))).StatusCode);

        var own = await intruder.PostSessionEvents(new SessionClosed(session, intruder.Enrolment.ClientId, "agent", "forged", 1, 0, 0, DateTimeOffset.UtcNow));
        var named = await intruder.PostSessionEvents(new SessionClosed(session, victim.Enrolment.ClientId, "agent", "forged", 1, 0, 0, DateTimeOffset.UtcNow));

        await Client.Problem(own, HttpStatusCode.Forbidden);
        await Client.Problem(named, HttpStatusCode.Forbidden);
        Assert.Equal(["SessionRequested"], (await org.Stream(session)).Select(e => e.Type));
    }

    [Fact]
    public async Task SessionId_OfAnotherClientsStream_IsRefused()
    {
        var org = await api.NewOrganization();
        using var victim = await org.Agent("door");
        using var intruder = await org.Agent("desk");
        var before = await org.Stream(victim.Enrolment.ClientId);

        var response = await intruder.PostSessionEvents(SessionReports.Requested(victim.Enrolment.ClientId, intruder.Enrolment.ClientId));

        await Client.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal(before.Select(e => e.EventId), (await org.Stream(victim.Enrolment.ClientId)).Select(e => e.EventId));
    }

    [Fact]
    public async Task SessionId_OfAnotherOrganizationsSession_NeverReachesThatSession()
    {
        var victims = await api.NewOrganization();
        var intruders = await api.NewOrganization();
        using var victim = await victims.Agent("door");
        using var intruder = await intruders.Agent("desk");
        var session = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await victim.PostSessionEvents(SessionReports.Requested(session, victim.Enrolment.ClientId))).StatusCode);

        var response = await intruder.PostSessionEvents(new SessionClosed(session, intruder.Enrolment.ClientId, "agent", "forged", 1, 0, 0, DateTimeOffset.UtcNow));

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(["SessionRequested"], (await victims.Stream(session)).Select(e => e.Type));
        var shown = await victims.Owner.GetOk<SessionSummaryView>($"/sessions/{session}");
        Assert.Null(shown.ClosedAt);
    }
}
