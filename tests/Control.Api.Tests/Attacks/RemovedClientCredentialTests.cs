using System.Net;
using System.Text;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: whoever holds the agent credential of a client that was removed (a decommissioned or stolen machine, a copy of
/// its state folder). Threat: after the removal it keeps writing session facts and recordings into the organization's
/// audit trail, inventing sessions that never happened. The credential may only fetch and acknowledge its removal.
/// </summary>
[Collection("api")]
public class RemovedClientCredentialTests(ApiFixture api)
{
    [Fact]
    public async Task SessionEvents_FromARemovedClient_AreRefusedAndNothingIsRecorded()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("scrapped");
        await org.Change(agent, "remove", new ClientChangeRequest("machine decommissioned"));
        var session = Guid.CreateVersion7();

        var response = await agent.PostSessionEvents(
            SessionReports.Requested(session, agent.Enrolment.ClientId),
            new SessionAuthenticated(session, agent.Enrolment.ClientId, "alice@acme", ["acl"], null, DateTimeOffset.UtcNow));

        await Client.Problem(response, HttpStatusCode.Forbidden);
        Assert.Empty(await org.Stream(session));
        Assert.Equal(HttpStatusCode.NotFound, (await org.Owner.Get($"/sessions/{session}")).StatusCode);
    }

    [Fact]
    public async Task Recording_FromAClientRemovedAfterItsSession_IsRefusedAndNotStored()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("scrapped");
        var session = Guid.CreateVersion7();
        var recording = Encoding.UTF8.GetBytes("{\"version\":2,\"width\":80,\"height\":24}\n[0.1,\"o\",\"forged\"]\n");
        Assert.Equal(HttpStatusCode.OK, (await agent.PostSessionEvents(SessionReports.Requested(session, agent.Enrolment.ClientId))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.ReportRecordingPart(session, 0, 0, recording)).StatusCode);
        await org.Change(agent, "remove", new ClientChangeRequest("machine stolen"));

        var response = await agent.PutRecordingPart(session, 0, recording);

        await Client.Problem(response, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NotFound, (await org.Owner.Get($"/sessions/{session}/recording")).StatusCode);
        Assert.False((await org.Owner.GetOk<SessionSummaryView>($"/sessions/{session}")).HasRecording);
    }

    [Fact]
    public async Task RemovedClient_StillFetchesItsRemovalPolicy()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("scrapped");
        await org.Change(agent, "remove", new ClientChangeRequest("machine decommissioned"));

        var policy = await agent.Policy();

        Assert.True(policy.Policy.Removed, "the removed client's policy is its tombstone");
    }
}
