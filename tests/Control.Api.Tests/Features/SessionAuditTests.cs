using System.Net;
using System.Text;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using static Control.Api.Tests.Support.SessionReports;

namespace Control.Api.Tests.Features;

/// <summary>Agents deliver session facts at least once; the API keeps each exactly once, per session, per organization.</summary>
[Collection("api")]
public class SessionAuditTests(ApiFixture api)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SameBatchTwice_AppendsEachEventOnce()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        var session = Guid.CreateVersion7();
        var batch = Batch(Full(session, agent.Enrolment.ClientId, "alice@" + org.Slug));

        var first = await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", batch);
        var again = await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", batch);

        Assert.Equal(batch.Events!.Select(e => e.Id), first.Accepted);
        Assert.Equal(batch.Events!.Select(e => e.Id), again.Accepted);
        var stream = await org.Stream(session);
        Assert.Equal(["SessionRequested", "SessionAuthenticated", "SessionChannelOpened", "SessionFileTransferred", "SessionClosed"], stream.Select(e => e.Type));
        Assert.All(stream, e => Assert.Equal("system:agent door@" + org.Slug, e.Actor));
    }

    [Fact]
    public async Task OverlappingAndConcurrentBatches_AppendEachEventOnceInOrder()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var session = Guid.CreateVersion7();
        var events = Full(session, agent.Enrolment.ClientId, "alice@" + org.Slug);
        var items = Batch(events).Events!;

        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", new AgentSessionEventBatch(items.Take(3).ToList()));
        var overlapping = new AgentSessionEventBatch(items.Skip(1).ToList());
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => agent.Http.Post("/agent/session-events", overlapping)));

        Assert.All(concurrent, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stream = await org.Stream(session);
        Assert.Equal(events.Select(e => e.GetType().Name), stream.Select(e => e.Type));
        await ProjectionVersions.AssertMatchStreams(api, org.Slug);
    }

    [Fact]
    public async Task EventOfAnotherClient_IsRefusedAndNothingIsAppended()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        using var other = await org.Agent();
        var mine = Guid.CreateVersion7();
        var theirs = Guid.CreateVersion7();
        var batch = Batch([Requested(mine, agent.Enrolment.ClientId), Requested(theirs, other.Enrolment.ClientId)]);

        await Client.Problem(await agent.Http.Post("/agent/session-events", batch), HttpStatusCode.Forbidden);

        Assert.Empty(await org.Stream(mine));
        Assert.Empty(await org.Stream(theirs));
    }

    [Fact]
    public async Task SessionIdOfAnotherClientsSession_IsRefused()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        using var intruder = await org.Agent();
        var session = Guid.CreateVersion7();
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch([Requested(session, agent.Enrolment.ClientId)]));

        var closing = new SessionClosed(session, intruder.Enrolment.ClientId, "agent", "forged", 1, 0, 0, T0.AddMinutes(1));
        await Client.Problem(await intruder.Http.Post("/agent/session-events", Batch([closing])), HttpStatusCode.Forbidden);

        Assert.Single(await org.Stream(session));
    }

    [Fact]
    public async Task MalformedItems_Are400WithFieldErrorsAndNothingIsAppended()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var session = Guid.CreateVersion7();
        var good = Batch([Requested(session, agent.Enrolment.ClientId)]).Events![0];
        var batch = new AgentSessionEventBatch(
        [
            good,
            good with { Id = Guid.CreateVersion7(), Type = "OperatorDisabled" },
            good with { Id = Guid.CreateVersion7(), Event = JsonSerializer.SerializeToElement(new { sessionId = session, clientId = agent.Enrolment.ClientId }) },
            good with { Id = Guid.Empty },
        ]);

        var problem = await Client.Problem(await agent.Http.Post("/agent/session-events", batch), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[1].type", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("events[2].event", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("events[3].id", out _), errors.ToString());
        Assert.Empty(await org.Stream(session));
    }

    [Fact]
    public async Task Sessions_ListFiltersByClientViewerAndLive_ShowIsTenantIsolated()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        using var desk = await org.Agent("desk");
        var closed = Guid.CreateVersion7();
        var live = Guid.CreateVersion7();
        var denied = Guid.CreateVersion7();
        await door.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch(Full(closed, door.Enrolment.ClientId, "alice@" + org.Slug)));
        await door.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch(
        [
            Requested(live, door.Enrolment.ClientId, "bob@" + org.Slug, T0.AddHours(1)),
            new SessionAuthenticated(live, door.Enrolment.ClientId, "bob@" + org.Slug, ["acl", "password"], null, T0.AddHours(1)),
        ]));
        await desk.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch(
        [
            Requested(denied, desk.Enrolment.ClientId, "eve@" + org.Slug, T0.AddHours(2)),
            new SessionDenied(denied, desk.Enrolment.ClientId, "eve@" + org.Slug, "192.0.2.9:4000", "not in the access control list", T0.AddHours(2)),
        ]));
        var (_, tina) = await org.Operator("tina", "technician");

        var all = await tina.GetOk<List<SessionSummaryView>>("/sessions");
        Assert.Equal([denied, live, closed], all.Select(s => s.SessionId));
        Assert.Equal([live], (await tina.GetOk<List<SessionSummaryView>>("/sessions?live=true")).Select(s => s.SessionId));
        Assert.Equal([live, closed], (await tina.GetOk<List<SessionSummaryView>>("/sessions?client=door")).Select(s => s.SessionId));
        Assert.Equal([denied], (await tina.GetOk<List<SessionSummaryView>>($"/sessions?client={desk.Enrolment.ClientNumber}")).Select(s => s.SessionId));
        Assert.Equal([live], (await tina.GetOk<List<SessionSummaryView>>("/sessions?viewer=bob")).Select(s => s.SessionId));
        Assert.Single(await tina.GetOk<List<SessionSummaryView>>("/sessions?limit=1"));

        var shown = await tina.GetOk<SessionSummaryView>($"/sessions/{closed}");
        Assert.Equal(("door@" + org.Slug, door.Enrolment.ClientNumber), (shown.ClientAlias, shown.ClientNumber));
        Assert.Equal("alice@" + org.Slug, shown.ViewerAlias);
        Assert.Equal("ticket 42", shown.Justification);
        Assert.Equal(["acl", "password"], shown.Methods);
        Assert.Equal(["shell"], shown.Channels);
        Assert.Equal(("upload", "/tmp/report.pdf", 1234L), (shown.Files[0].Direction, shown.Files[0].Path, shown.Files[0].Size));
        Assert.Equal(("viewer", 90_000L, 100L, 2000L), (shown.EndedBy, shown.DurationMilliseconds, shown.BytesFromViewer, shown.BytesToViewer));
        Assert.False(shown.Live);
        Assert.Equal("not in the access control list", (await tina.GetOk<SessionSummaryView>($"/sessions/{denied}")).DeniedReason);

        var other = await api.NewOrganization();
        await Client.Problem(await other.Owner.Get($"/sessions/{closed}"), HttpStatusCode.NotFound);
        Assert.Empty(await other.Owner.GetOk<List<SessionSummaryView>>("/sessions"));
        var (_, hr) = await org.Operator("harry", "hr");
        Assert.Equal(HttpStatusCode.Forbidden, (await hr.Get("/sessions")).StatusCode);
    }

    [Fact]
    public async Task SessionEvents_AppearInTheAuditTrail()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        var session = Guid.CreateVersion7();
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch(Full(session, agent.Enrolment.ClientId, "alice@" + org.Slug)));

        var page = await org.Owner.GetOk<AuditEventPage>($"/audit/events?type=SessionRequested,SessionClosed&stream={session}");

        Assert.Equal(["SessionClosed", "SessionRequested"], page.Items.Select(i => i.Type));
        Assert.All(page.Items, i => Assert.Equal("system:agent door@" + org.Slug, i.Actor));
        Assert.Equal("alice@" + org.Slug, page.Items[1].Data.GetProperty("viewerAlias").GetString());
    }

    [Fact]
    public async Task Recording_PartsMatchingTheirAuditedHashes_ReadableByAuditorsOnly()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        using var intruder = await org.Agent();
        var session = Guid.CreateVersion7();
        var first = Encoding.UTF8.GetBytes("{\"version\":2,\"width\":80,\"height\":24}\n[0.5,\"o\",\"$ whoami\\r\\n\"]\n");
        var last = Encoding.UTF8.GetBytes("[0.7,\"o\",\"root\\r\\n\"]\n");
        var client = agent.Enrolment.ClientId;
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch([
            .. Full(session, client, "alice@" + org.Slug),
            SessionRecordingPart.Of(session, client, 0, 0, first, false, DateTimeOffset.UtcNow),
            SessionRecordingPart.Of(session, client, 1, first.Length, last, true, DateTimeOffset.UtcNow)]));

        Assert.Equal(HttpStatusCode.NotFound, (await agent.PutRecordingPart(Guid.CreateVersion7(), 0, first)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.PutRecordingPart(session, 0, first)).StatusCode);
        await Client.Problem(await agent.PutRecordingPart(session, 2, first), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await agent.PutRecordingPart(session, 0, first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.PutRecordingPart(session, 0, first)).StatusCode);

        var (_, audrey) = await org.Operator("audrey", "auditor");
        // While the last part is on its way, the recording reads as far as it is stored.
        Assert.Equal(first, await (await audrey.Get($"/sessions/{session}/recording")).Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await agent.PutRecordingPart(session, 1, last)).StatusCode);
        var download = await audrey.Get($"/sessions/{session}/recording");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/x-asciicast", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(first.Concat(last).ToArray(), await download.Content.ReadAsByteArrayAsync());
        Assert.True((await audrey.GetOk<SessionSummaryView>($"/sessions/{session}")).HasRecording);

        var (_, tina) = await org.Operator("tina", "technician");
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Get($"/sessions/{session}/recording")).StatusCode);
        var other = await api.NewOrganization();
        var (_, otherTechnician) = await other.Operator("tom", "technician");
        Assert.Equal(HttpStatusCode.Forbidden, (await otherTechnician.Get($"/sessions/{session}/recording")).StatusCode);
        await Client.Problem(await other.Owner.Get($"/sessions/{session}/recording"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Recording_PartLargerThanTheLimit_Is413()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var session = Guid.CreateVersion7();
        var huge = new byte[(1024 * 1024) + 1];
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", Batch([
            Requested(session, agent.Enrolment.ClientId), SessionRecordingPart.Of(session, agent.Enrolment.ClientId, 0, 0, huge, true, DateTimeOffset.UtcNow)]));

        var response = await agent.PutRecordingPart(session, 0, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var (_, audrey) = await org.Operator("audrey", "auditor");
        Assert.Equal(HttpStatusCode.NotFound, (await audrey.Get($"/sessions/{session}/recording")).StatusCode);
    }

    private static SessionEvent[] Full(Guid session, Guid client, string viewer) =>
    [
        new SessionRequested(session, client, viewer, "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 42", T0),
        new SessionAuthenticated(session, client, viewer, ["acl", "password"], null, T0.AddSeconds(1)),
        new SessionChannelOpened(session, client, "shell", "/bin/bash", null, T0.AddSeconds(2)),
        new SessionFileTransferred(session, client, "upload", "/tmp/report.pdf", 1234, new string('a', 64), T0.AddSeconds(3)),
        new SessionClosed(session, client, "viewer", null, 90_000, 100, 2000, T0.AddSeconds(90)),
    ];
}
