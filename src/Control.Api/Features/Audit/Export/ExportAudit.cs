using System.Text.Encodings.Web;
using System.Text.Json;
using Control.Api.Auth;
using Control.Api.Features.Audit.History;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine.Http;

namespace Control.Api.Features.Audit.Export;

/// <summary>
/// The change log and the session history as CSV or JSON Lines, with the same filters as the pages, streamed: each row
/// goes to the response as the database returns it, so an export of millions of rows holds a few rows in memory. The
/// column sets are a contract (README, "Exports"): add columns at the end, never rename or reorder.
/// </summary>
public static class ExportAuditEndpoints
{
    public static readonly string[] EventColumns =
        ["sequence", "timestamp", "type", "actor", "target", "reason", "correlation_id", "stream_id", "version", "event_id", "data"];

    public static readonly string[] SessionColumns =
    [
        "session_id", "started_at", "ended_at", "duration_ms", "client_id", "client_number", "client_alias", "viewer_alias", "person_id",
        "person_name", "source", "justification", "outcome", "denied_reason", "ended_by", "end_reason", "auth_methods", "channels", "files",
        "recording_url",
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Lines = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/events/export")]
    public static async Task<IResult> Events(
        HttpContext http, IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation,
        string? format = null, string? type = null, string? actor = null, Guid? stream = null, string? correlation = null, string? target = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var (kind, formatProblem) = ExportFormats.Parse(format);
        if (formatProblem is not null)
        {
            return formatProblem.ToResult();
        }

        var (filter, problem) = await AuditEventQuery.Parse(session, type, actor, stream, correlation, from, to, target, cancellation);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var tenant = http.User.OrganizationSlug();
        var schema = options.Value.DatabaseSchema;
        return new ExportResult(kind, "audit-events", async (writer, aborted) =>
        {
            var labels = await AuditTargetLabels.Load(database, schema, tenant, only: null, aborted);
            if (kind == ExportFormat.Csv)
            {
                writer.CsvHeader(EventColumns);
            }

            await ExportChunks.InChunksSideBySide(
                database, options.Value.AuditExportChunkRows, options.Value.AuditExportParallelChunks,
                async (connection, before, size) =>
                {
                    await using var start = AuditEventQuery.ChunkStart(database, schema, tenant, filter!, before, size, connection);
                    return await start.ExecuteScalarAsync(aborted) as long?;
                },
                (connection, from, before) => AuditEventQuery.Command(database, schema, tenant, filter!, before, limit: null, connection, from),
                (reader, chunk, cancellation) => WriteEvents(kind, reader, chunk, labels, cancellation),
                writer, aborted);
        });
    }

    /// <summary>One chunk's events, each redacted and labelled, as CSV rows or JSON lines.</summary>
    private static async Task WriteEvents(ExportFormat kind, NpgsqlDataReader reader, ExportWriter writer, AuditTargetLabels labels, CancellationToken aborted)
    {
        using var redaction = new AuditRedaction();
        await using var json = new Utf8JsonWriter(writer.Output, Lines);
        while (await reader.ReadAsync(aborted))
        {
            var row = AuditEventQuery.Read(reader, labels, redaction);
            if (kind == ExportFormat.Csv)
            {
                writer.Csv(row.Sequence);
                writer.Csv(row.Timestamp);
                writer.Csv(row.Type);
                writer.Csv(row.Actor);
                writer.Csv(row.Target);
                writer.Csv(row.Reason);
                writer.Csv(row.CorrelationId);
                writer.Csv(row.StreamId);
                writer.Csv(row.Version);
                writer.Csv(row.EventId);
                writer.Csv(row.Data.Span);
                await writer.EndCsvRow(aborted);
            }
            else
            {
                // The same names and shapes as AuditEventView on the page, written field by field (no tree per row).
                json.Reset();
                json.WriteStartObject();
                json.WriteNumber("sequence", row.Sequence);
                json.WriteString("eventId", row.EventId);
                json.WriteString("type", row.Type);
                json.WriteString("streamId", row.StreamId);
                json.WriteNumber("version", row.Version);
                json.WriteString("timestamp", row.Timestamp);
                json.WriteString("actor", row.Actor);
                json.WriteString("reason", row.Reason);
                json.WriteString("correlationId", row.CorrelationId);
                json.WritePropertyName("data");
                json.WriteRawValue(row.Data.Span, skipInputValidation: true);
                json.WriteString("target", row.Target);
                json.WriteEndObject();
                json.Flush();
                await writer.EndJsonLine(aborted);
            }
        }
    }

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/audit/sessions/export")]
    public static async Task<IResult> Sessions(
        IQuerySession session, NpgsqlDataSource database, IOptions<ControlOptions> options, CancellationToken cancellation,
        string? format = null, string? client = null, string? person = null, string? viewer = null, bool denied = false,
        DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var (kind, formatProblem) = ExportFormats.Parse(format);
        if (formatProblem is not null)
        {
            return formatProblem.ToResult();
        }

        var (filter, problem) = await SessionHistoryQuery.Parse(session, client, person, viewer, denied, from, to, cancellation);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var people = await SessionHistoryQuery.People(session, cancellation);
        var tenant = session.TenantId;
        return new ExportResult(kind, "audit-sessions", async (writer, aborted) =>
        {
            await using var json = new Utf8JsonWriter(writer.Output, Lines);
            if (kind == ExportFormat.Csv)
            {
                writer.CsvHeader(SessionColumns);
            }

            SessionCursor? after = null;
            var size = options.Value.AuditExportChunkRows;
            await ExportChunks.InChunks(database, size, c => Task.FromResult<NpgsqlCommand?>(SessionHistoryQuery.Command(database, options.Value.DatabaseSchema, tenant, filter!, after, size, c)), async reader =>
            {
                var row = SessionHistoryQuery.Read(reader, people);
                after = new SessionCursor(row.StartedAt, row.SessionId);
                if (kind == ExportFormat.Csv)
                {
                    writer.Csv(row.SessionId);
                    writer.Csv(row.StartedAt);
                    writer.Csv(row.EndedAt);
                    writer.Csv(row.DurationMilliseconds);
                    writer.Csv(row.ClientId);
                    writer.Csv(row.ClientNumber);
                    writer.Csv(row.ClientAlias);
                    writer.Csv(row.ViewerAlias);
                    writer.Csv(row.PersonId);
                    writer.Csv(row.PersonName);
                    writer.Csv(row.Source);
                    writer.Csv(row.Justification);
                    writer.Csv(row.Outcome);
                    writer.Csv(row.DeniedReason);
                    writer.Csv(row.EndedBy);
                    writer.Csv(row.EndReason);
                    writer.Csv(string.Join(';', row.Methods));
                    writer.Csv(string.Join(';', row.Channels));
                    writer.Csv(row.Files.Count == 0 ? "" : JsonSerializer.Serialize(row.Files, Json));
                    writer.Csv(row.RecordingUrl);
                    await writer.EndCsvRow(aborted);
                }
                else
                {
                    json.Reset();
                    JsonSerializer.Serialize(json, row, Json);
                    json.Flush();
                    await writer.EndJsonLine(aborted);
                }
            }, aborted);
        });
    }
}
