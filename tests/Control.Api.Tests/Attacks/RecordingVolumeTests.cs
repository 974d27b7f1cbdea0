using System.Net;
using Control.Api.Tests.Support;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: an agent credential (a compromised machine, or a stolen state folder). Threat: it uploads recordings without
/// end (one per invented session, each as large as allowed) until the database's disk is full and the audit trail stops.
/// Recordings are bounded per session (413) and per client and day (429); the fixture sets 1 MB and 3 MB.
/// </summary>
[Collection("api")]
public class RecordingVolumeTests(ApiFixture api)
{
    [Fact]
    public async Task Recording_LargerThanTheSessionLimit_Is413AndNotStored()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var session = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await agent.PostSessionEvents(SessionReports.Requested(session, agent.Enrolment.ClientId))).StatusCode);

        var response = await agent.PutRecording(session, new byte[ApiFixture.MaxRecordingBytesPerSession + 1]);

        await Client.Problem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await org.Owner.Get($"/sessions/{session}/recording")).StatusCode);
    }

    [Fact]
    public async Task Recordings_BeyondTheClientsDailyVolume_Are429AndNotStored()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        using var other = await org.Agent();
        var sessions = Enumerable.Range(0, 4).Select(_ => Guid.CreateVersion7()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await agent.PostSessionEvents(sessions.Select(s => SessionReports.Requested(s, agent.Enrolment.ClientId)))).StatusCode);
        var full = new byte[ApiFixture.MaxRecordingBytesPerSession];

        foreach (var session in sessions.Take(3))
        {
            Assert.Equal(HttpStatusCode.OK, (await agent.PutRecording(session, full)).StatusCode);
        }

        var refused = await agent.PutRecording(sessions[3], full);

        await Client.Problem(refused, HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.NotFound, (await org.Owner.Get($"/sessions/{sessions[3]}/recording")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.PutRecording(sessions[0], full)).StatusCode);
        var elsewhere = Guid.CreateVersion7();
        Assert.Equal(HttpStatusCode.OK, (await other.PostSessionEvents(SessionReports.Requested(elsewhere, other.Enrolment.ClientId))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.PutRecording(elsewhere, full)).StatusCode);
    }
}
