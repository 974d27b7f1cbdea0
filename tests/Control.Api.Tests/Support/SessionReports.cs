using System.Net.Http.Headers;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Support;

/// <summary>Session facts and recordings as an agent sends them, for tests that play the agent (honest or not).</summary>
public static class SessionReports
{
    public static AgentSessionEventBatch Batch(params IEnumerable<SessionEvent> events) => new(
        [.. events.Select(e => new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), Client.Json)))]);

    /// <summary>POST /agent/session-events with these facts, each with a fresh idempotency id.</summary>
    public static Task<HttpResponseMessage> PostSessionEvents(this TestAgent agent, params IEnumerable<SessionEvent> events) =>
        agent.Http.Post("/agent/session-events", Batch(events));

    /// <summary>The audit event of a recording part (its offset, length and SHA-256), which an agent reports before uploading the part.</summary>
    public static Task<HttpResponseMessage> ReportRecordingPart(this TestAgent agent, Guid session, int index, long offset, byte[] bytes, bool final = true) =>
        agent.PostSessionEvents(SessionRecordingPart.Of(session, agent.Enrolment.ClientId, index, offset, bytes, final, DateTimeOffset.UtcNow));

    /// <summary>PUT /agent/sessions/{id}/recording/parts/{index} with these bytes.</summary>
    public static Task<HttpResponseMessage> PutRecordingPart(this TestAgent agent, Guid session, int index, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-asciicast");
        return agent.Http.Put($"/agent/sessions/{session}/recording/parts/{index}", content);
    }

    /// <summary>A whole recording in one final part, as an honest agent reports and uploads it.</summary>
    public static async Task<HttpResponseMessage> PutRecording(this TestAgent agent, Guid session, byte[] bytes)
    {
        (await agent.ReportRecordingPart(session, 0, 0, bytes)).EnsureSuccessStatusCode();
        return await agent.PutRecordingPart(session, 0, bytes);
    }

    public static SessionRequested Requested(Guid session, Guid client, string viewer = "alice@acme", DateTimeOffset? at = null) => new(
        session, client, viewer, "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 42", at ?? DateTimeOffset.UtcNow);

    /// <summary>Every event of <paramref name="stream"/> in the organization's audit trail, oldest first.</summary>
    public static async Task<List<AuditEventView>> Stream(this Organization org, Guid stream) =>
        [.. (await org.Owner.GetOk<AuditEventPage>($"/audit/events?stream={stream}&limit=500")).Items.OrderBy(i => i.Version)];
}
