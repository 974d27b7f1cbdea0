using System.Net;
using System.Text;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Features;

/// <summary>The two audit queries (security changes by target, session history) and their streamed exports.</summary>
[Collection("api")]
public class AuditQueriesTests(ApiFixture api)
{
    private const string TrickyReason = "contract ended, \"early\"\nÜberprüfung — 済み ✓";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Events_TargetFilter_ResolvesEachKindAndLabelsRows()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        await org.Change(door, "acl-add", new ClientChangeRequest("support", Entry: $"*@{org.Slug}"));
        var bob = await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("bob", "technician", "hired"));
        await org.Owner.Post($"/operators/{bob.Id}/disable", new OperatorActionRequest("left", null));
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Bob Builder", "bob@example.com", "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("bob", null, null, "account"));
        await org.Owner.PostOk<CustomClientCreatedResponse>("/custom-clients", new CreateCustomClientRequest("Kiosk", "-kiosk", true, null, "lobby"));
        await org.Owner.PostOk<LicenseKeyResponse>("/license/reset", new ReasonRequest("key leaked"));

        var client = await Events(org, $"target=client:{door.Enrolment.ClientNumber}");
        Assert.Contains(client, e => e.Type == "AclEntryAdded");
        Assert.All(client, e => Assert.Equal(door.Enrolment.ClientId, e.StreamId));
        Assert.All(client, e => Assert.Equal($"client door@{org.Slug} ({door.Enrolment.ClientNumber})", e.Target));
        Assert.Equal(client.Select(e => e.EventId), (await Events(org, "target=client:door")).Select(e => e.EventId));

        var operatorEvents = await Events(org, "target=operator:bob");
        Assert.Equal(["OperatorDisabled", "OperatorInvited"], operatorEvents.Select(e => e.Type));
        Assert.All(operatorEvents, e => Assert.Equal($"operator bob@{org.Slug}", e.Target));

        var personEvents = await Events(org, "target=person:bob@example.com");
        Assert.Equal(["PersonOperatorLinked", "PersonAdded"], personEvents.Select(e => e.Type));
        Assert.All(personEvents, e => Assert.Equal("person Bob Builder", e.Target));

        var kiosk = await Events(org, "target=custom-client:Kiosk");
        Assert.Contains(kiosk, e => e.Type == "CustomClientCreated");
        Assert.All(kiosk, e => Assert.Equal("custom client kiosk", e.Target));

        var license = await Events(org, "target=license");
        Assert.Contains(license, e => e.Type == "LicenseKeyReset" && e.Reason == "key leaked");
        Assert.All(license, e => Assert.Contains(e.Type, new[] { "LicenseKeyIssued", "LicenseKeyReset", "SecretRevealed", "ClientLicenseRemoved" }));
        Assert.All(license, e => Assert.Equal("license", e.Target));

        // Unfiltered rows carry their target too.
        var all = await Events(org, "limit=500");
        Assert.Contains(all, e => e.Type == "OrganizationCreated" && e.Target == "organization " + org.Slug);

        await Client.Problem(await org.Owner.Get("/audit/events?target=client:nosuch"), HttpStatusCode.NotFound);
        await Client.Problem(await org.Owner.Get("/audit/events?target=operator:nobody"), HttpStatusCode.NotFound);
        var bad = await Client.Problem(await org.Owner.Get("/audit/events?target=planet:mars"), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("target", out _), bad.ToString());
        await Client.Problem(await org.Owner.Get("/audit/events?target=client:"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Events_CursorPaging_IsStableWhileNewEventsArrive()
    {
        var org = await api.NewOrganization();
        for (var i = 0; i < 5; i++)
        {
            await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest($"early{i}", "technician", $"hire {i}"));
        }

        var expected = await Events(org, "type=OperatorInvited&limit=500");
        var seen = new List<Guid>();
        string? cursor = null;
        var round = 0;
        do
        {
            var page = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorInvited&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.Items.Select(e => e.EventId));
            cursor = page.NextCursor;

            // Newer events land between page reads: they must neither shift nor repeat the pages still to come.
            await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest($"late{round++}", "technician", "hire"));
        }
        while (cursor is not null);

        Assert.Equal(expected.Select(e => e.EventId), seen);
        Assert.Equal(5 + round, (await Events(org, "type=OperatorInvited&limit=500")).Count);
    }

    [Fact]
    public async Task Sessions_FilterByClientPersonViewerDeniedAndTime_RowsCarryEverything()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        using var desk = await org.Agent("desk");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Alice Example", "alice@example.com", "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest(null, "alice@" + org.Slug, null, "her viewer"));
        var closed = Guid.CreateVersion7();
        var denied = Guid.CreateVersion7();
        var other = Guid.CreateVersion7();
        await Report(door, Full(closed, door.Enrolment.ClientId, "alice@" + org.Slug, T0));
        await Report(desk, Denied(denied, desk.Enrolment.ClientId, "alice@" + org.Slug, TrickyReason, T0.AddHours(1)));
        await Report(desk, Full(other, desk.Enrolment.ClientId, "tina@" + org.Slug, T0.AddHours(2)));
        var cast = Encoding.UTF8.GetBytes("{\"version\":2,\"width\":80,\"height\":24}\n");
        await Report(door, [SessionRecordingPart.Of(closed, door.Enrolment.ClientId, 0, 0, cast, true, T0.AddMinutes(1))]);
        Assert.Equal(HttpStatusCode.OK, (await door.Http.Put($"/agent/sessions/{closed}/recording/parts/0", new ByteArrayContent(cast))).StatusCode);
        var (_, audrey) = await org.Operator("audrey", "auditor");

        Assert.Equal([other, denied, closed], await SessionIds(audrey, ""));
        Assert.Equal([closed], await SessionIds(audrey, "client=door"));
        Assert.Equal([other, denied], await SessionIds(audrey, $"client={desk.Enrolment.ClientNumber}"));
        Assert.Equal([denied, closed], await SessionIds(audrey, "person=alice@example.com"));
        Assert.Equal([other], await SessionIds(audrey, "viewer=tina"));
        Assert.Equal([denied], await SessionIds(audrey, "denied=true"));
        Assert.Equal([denied], await SessionIds(audrey, $"from={Time(T0.AddMinutes(30))}&to={Time(T0.AddMinutes(90))}"));

        var rows = (await audrey.GetOk<SessionHistoryPage>("/audit/sessions")).Items;
        var full = rows.Single(r => r.SessionId == closed);
        Assert.Equal(($"door@{org.Slug}", door.Enrolment.ClientNumber, "alice@" + org.Slug), (full.ClientAlias, full.ClientNumber, full.ViewerAlias));
        Assert.Equal((person.Id, "Alice Example"), (full.PersonId, full.PersonName));
        Assert.Equal(("ended", "viewer", 90_000L), (full.Outcome, full.EndedBy, full.DurationMilliseconds));
        Assert.Equal(T0.AddSeconds(90), full.EndedAt);
        Assert.Equal(["acl", "password"], full.Methods);
        Assert.Equal(["shell"], full.Channels);
        var file = Assert.Single(full.Files);
        Assert.Equal(("upload", "/tmp/report, final.pdf", 1234L, new string('a', 64)), (file.Direction, file.Path, file.Size, file.Sha256));
        Assert.Equal($"/sessions/{closed}/recording", full.RecordingUrl);
        Assert.Equal(HttpStatusCode.OK, (await audrey.Get(full.RecordingUrl!)).StatusCode);
        var refused = rows.Single(r => r.SessionId == denied);
        Assert.Equal(("denied", TrickyReason, (string?)null), (refused.Outcome, refused.DeniedReason, refused.RecordingUrl));
        Assert.Null(rows.Single(r => r.SessionId == other).PersonName);
        var sessionEvents = await Events(org, $"stream={closed}");
        Assert.All(sessionEvents, e => Assert.Equal($"session on client door@{org.Slug} ({door.Enrolment.ClientNumber})", e.Target));

        await Client.Problem(await audrey.Get("/audit/sessions?client=nosuch"), HttpStatusCode.NotFound);
        await Client.Problem(await audrey.Get("/audit/sessions?person=nobody"), HttpStatusCode.NotFound);
        await Client.Problem(await audrey.Get("/audit/sessions?cursor=yesterday"), HttpStatusCode.BadRequest);
        await Client.Problem(await audrey.Get("/audit/sessions?limit=501"), HttpStatusCode.BadRequest);
        var (_, tina) = await org.Operator("tina", "technician");
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Get("/audit/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tina.Get("/audit/sessions/export?format=csv")).StatusCode);
    }

    [Fact]
    public async Task Sessions_CursorPaging_IsStableWhileNewSessionsArrive()
    {
        var org = await api.NewOrganization();
        using var door = await org.Agent("door");
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var id = Guid.CreateVersion7();
            ids.Add(id);

            // Two sessions share each start time: the id breaks the tie, so none is skipped or repeated at a page edge.
            await Report(door, Full(id, door.Enrolment.ClientId, "alice@" + org.Slug, T0.AddMinutes(i / 2)));
        }

        var expected = await SessionIds(org.Owner, "client=door&limit=500");
        Assert.Equal(5, expected.Count);
        var seen = new List<Guid>();
        string? cursor = null;
        var round = 0;
        do
        {
            var page = await org.Owner.GetOk<SessionHistoryPage>("/audit/sessions?client=door&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            seen.AddRange(page.Items.Select(s => s.SessionId));
            cursor = page.NextCursor;
            await Report(door, Full(Guid.CreateVersion7(), door.Enrolment.ClientId, "bob@" + org.Slug, T0.AddHours(1 + round++)));
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Exports_LongerThanAChunk_HaveEveryRowOnceNewestFirst()
    {
        // The fixture sets 3 rows per chunk: these exports cross several chunk boundaries, sessions with one start time.
        var org = await api.NewOrganization();
        foreach (var name in new[] { "c1", "c2", "c3", "c4" })
        {
            await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest(name, "technician", "hire"));
        }

        using var door = await org.Agent("door");
        var sessions = Enumerable.Range(0, 7).Select(_ => Guid.CreateVersion7()).ToList();
        await Report(door, sessions.SelectMany((id, i) => Denied(id, door.Enrolment.ClientId, "eve@" + org.Slug, "no", T0.AddMinutes(i / 3))));

        async Task<List<long>> Exported(string query) =>
            [.. (await Download(org.Owner, "/audit/events/export?format=jsonl" + query, "application/x-ndjson"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<AuditEventView>(l, Client.Json)!.Sequence)];

        async Task<List<(long Sequence, DateTimeOffset At)>> Stored(string where)
        {
            var rows = new List<(long, DateTimeOffset)>();
            await using var connection = new Npgsql.NpgsqlConnection(api.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                $"select seq_id, timestamp from control.mt_events where tenant_id = '{org.Slug}'{where} order by seq_id desc", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1)));
            }

            return rows;
        }

        // Everything (chunks bounded by organization and sequence), a time range (the same bounds, the range a filter), and
        // one actor (chunks from that actor's index): each row once, newest first, side by side in several chunks.
        var stored = await Stored("");
        Assert.True(stored.Count > 9, $"only {stored.Count} events");
        Assert.Equal(stored.Select(r => r.Sequence), await Exported(""));
        var middle = stored[stored.Count / 2].At;
        Assert.Equal(stored.Where(r => r.At >= middle).Select(r => r.Sequence),
            await Exported("&from=" + Uri.EscapeDataString(middle.ToString("O", System.Globalization.CultureInfo.InvariantCulture))));
        var byOwner = await Exported($"&actor=owner@{org.Slug}");
        Assert.True(byOwner.Count > 3, $"only {byOwner.Count} events by the owner");
        Assert.Equal((await Stored($" and user_name = 'owner@{org.Slug}'")).Select(r => r.Sequence), byOwner);

        var exported = Rfc4180.Read(await Download(org.Owner, "/audit/sessions/export?format=csv", "text/csv")).Skip(1).Select(r => Guid.Parse(r[0])).ToList();
        Assert.Equal(sessions.Select((id, i) => (id, i / 3)).OrderByDescending(s => s.Item2).ThenByDescending(s => s.id.ToString()).Select(s => s.id), exported);
    }

    [Fact]
    public async Task Exports_CsvAndJsonLines_EscapeAndMatchThePages()
    {
        var org = await api.NewOrganization();
        var invited = await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("erin", "technician", "hire"));
        var disable = await org.Owner.Post($"/operators/{invited.Id}/disable", new OperatorActionRequest(TrickyReason, null), correlation: "ticket-42");
        Assert.True(disable.IsSuccessStatusCode, await disable.Content.ReadAsStringAsync());
        using var door = await org.Agent("door");
        var denied = Guid.CreateVersion7();
        await Report(door, Denied(denied, door.Enrolment.ClientId, "eve@" + org.Slug, TrickyReason, T0));

        var csv = await Download(org.Owner, "/audit/events/export?format=csv&target=operator:erin", "text/csv");
        var lines = Rfc4180.Read(csv);
        Assert.Equal(["sequence", "timestamp", "type", "actor", "target", "reason", "correlation_id", "stream_id", "version", "event_id", "data"], lines[0]);
        Assert.Equal(3, lines.Count);
        var disabled = lines[1];
        Assert.Equal(("OperatorDisabled", $"owner@{org.Slug}", $"operator erin@{org.Slug}", TrickyReason, "ticket-42"),
            (disabled[2], disabled[3], disabled[4], disabled[5], disabled[6]));
        var invitedRow = lines[2];
        Assert.Equal("[redacted]", JsonDocument.Parse(invitedRow[10]).RootElement.GetProperty("activationCodeHash").GetString());
        Assert.DoesNotContain(invited.ActivationCode, csv, StringComparison.Ordinal);

        var jsonl = await Download(org.Owner, "/audit/events/export?format=jsonl&target=operator:erin", "application/x-ndjson");
        var exported = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<AuditEventView>(l, Client.Json)!).ToList();
        var page = await Events(org, "target=operator:erin");
        Assert.Equal(page.Select(e => (e.Sequence, e.Type, e.Reason, e.Target, e.CorrelationId)), exported.Select(e => (e.Sequence, e.Type, e.Reason, e.Target, e.CorrelationId)));
        Assert.Equal(page[1].Data.ToString(), exported[1].Data.ToString());

        var sessionsCsv = Rfc4180.Read(await Download(org.Owner, "/audit/sessions/export?format=csv&denied=true", "text/csv"));
        Assert.Equal("session_id,started_at,ended_at,duration_ms,client_id,client_number,client_alias,viewer_alias,person_id,person_name,source,justification,outcome,denied_reason,ended_by,end_reason,auth_methods,channels,files,recording_url",
            string.Join(',', sessionsCsv[0]));
        var row = Assert.Single(sessionsCsv.Skip(1));
        Assert.Equal((denied.ToString(), "denied", TrickyReason, "eve@" + org.Slug), (row[0], row[12], row[13], row[7]));
        var sessionsJsonl = await Download(org.Owner, "/audit/sessions/export?format=jsonl", "application/x-ndjson");
        var session = JsonSerializer.Deserialize<SessionHistoryRow>(sessionsJsonl.Split('\n')[0], Client.Json)!;
        Assert.Equal((denied, TrickyReason), (session.SessionId, session.DeniedReason));

        await Client.Problem(await org.Owner.Get("/audit/events/export?format=xml"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get("/audit/events/export"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get("/audit/events/export?format=csv&target=client:nosuch"), HttpStatusCode.NotFound);
        await Client.Problem(await org.Owner.Get("/audit/sessions/export?format=csv&client=nosuch"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task EveryQueryAndExport_IsTenantIsolated()
    {
        var a = await api.NewOrganization();
        var b = await api.NewOrganization();
        using var door = await a.Agent("door");
        var session = Guid.CreateVersion7();
        await Report(door, Full(session, door.Enrolment.ClientId, "alice@" + a.Slug, T0));
        await a.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("erin", "technician", "hire"));
        using var bDoor = await b.Agent("door");

        var bEvents = await Events(b, "limit=500");
        Assert.NotEmpty(bEvents);
        var aEventIds = (await Events(a, "limit=500")).Select(e => e.EventId).ToHashSet();
        Assert.DoesNotContain(bEvents, e => aEventIds.Contains(e.EventId));
        Assert.Empty(await Events(b, $"stream={door.Enrolment.ClientId}"));
        Assert.Empty(await Events(b, $"actor=owner@{a.Slug}"));
        await Client.Problem(await b.Owner.Get("/audit/events?target=operator:erin"), HttpStatusCode.NotFound);

        // b's own "door" is b's client: a's sessions on a's door stay invisible through it.
        Assert.Empty((await b.Owner.GetOk<SessionHistoryPage>("/audit/sessions")).Items);
        Assert.Empty((await b.Owner.GetOk<SessionHistoryPage>("/audit/sessions?client=door")).Items);
        Assert.Empty((await b.Owner.GetOk<SessionHistoryPage>($"/audit/sessions?viewer=alice@{a.Slug}")).Items);
        await Client.Problem(await b.Owner.Get($"/audit/sessions?client={door.Enrolment.ClientNumber}"), HttpStatusCode.NotFound);

        var eventsExport = await Download(b.Owner, "/audit/events/export?format=jsonl", "application/x-ndjson");
        Assert.DoesNotContain(a.Slug, eventsExport, StringComparison.Ordinal);
        Assert.DoesNotContain(door.Enrolment.ClientId.ToString(), eventsExport, StringComparison.Ordinal);
        var sessionsExport = await Download(b.Owner, "/audit/sessions/export?format=csv", "text/csv");
        Assert.Single(Rfc4180.Read(sessionsExport));
        Assert.Contains(session.ToString(), await Download(a.Owner, "/audit/sessions/export?format=csv", "text/csv"), StringComparison.Ordinal);
    }

    private static async Task<List<AuditEventView>> Events(Organization org, string query) =>
        [.. (await org.Owner.GetOk<AuditEventPage>("/audit/events?" + query)).Items];

    private static async Task<List<Guid>> SessionIds(Client client, string query) =>
        [.. (await client.GetOk<SessionHistoryPage>("/audit/sessions?" + query)).Items.Select(s => s.SessionId)];

    private static string Time(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));

    private static async Task<string> Download(Client client, string path, string mediaType)
    {
        var response = await client.Get(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        return body;
    }

    private static async Task Report(TestAgent agent, IEnumerable<SessionEvent> events) =>
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", new AgentSessionEventBatch(
            [.. events.Select(e => new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), Client.Json)))]));

    private static SessionEvent[] Denied(Guid session, Guid client, string viewer, string reason, DateTimeOffset at) =>
    [
        new SessionRequested(session, client, viewer, "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", null, at),
        new SessionDenied(session, client, viewer, "192.0.2.7:50000", reason, at),
    ];

    private static SessionEvent[] Full(Guid session, Guid client, string viewer, DateTimeOffset at) =>
    [
        new SessionRequested(session, client, viewer, "01AB", "192.0.2.7:50000", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 42", at),
        new SessionAuthenticated(session, client, viewer, ["acl", "password"], null, at.AddSeconds(1)),
        new SessionChannelOpened(session, client, "shell", "/bin/bash", null, at.AddSeconds(2)),
        new SessionFileTransferred(session, client, "upload", "/tmp/report, final.pdf", 1234, new string('a', 64), at.AddSeconds(3)),
        new SessionClosed(session, client, "viewer", null, 90_000, 100, 2000, at.AddSeconds(90)),
    ];
}
