using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Sessions;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Wolverine.Http;

namespace Control.Api.Features.Sessions;

/// <summary>
/// Shell-session recordings (asciicast v2), stored as the parts the agent seals while the session runs, in a bytea table
/// rather than JSON documents (base64 inside jsonb would cost a third more and be parsed on every read). A part is taken
/// only when its bytes have the SHA-256 its <see cref="SessionRecordingPart"/> event put in the audit trail, so what the
/// API keeps is exactly what the agent recorded. Write-once: the agent may upload a part again (it retries until it sees
/// a 2xx), identical bytes are a no-op; bytes that do not match the audited hash are refused.
/// Volume is bounded per session (<see cref="ControlOptions.MaxRecordingBytesPerSession"/>, 413) and per client and day
/// (<see cref="ControlOptions.MaxRecordingBytesPerClientPerDay"/>, 429): an agent credential, stolen or not, cannot fill the database.
/// </summary>
public static class SessionRecordings
{
    public const string ContentType = "application/x-asciicast";

    /// <summary>The agent seals a part at 256 KiB; one output line may end past that.</summary>
    public const long MaxPartBytes = 1024 * 1024;

    private const string TableName = "control_session_recording_parts";

    /// <summary>Part of the schema Marten creates or migrates (and <c>db-apply</c> applies).</summary>
    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("tenant_id", "text").AsPrimaryKey();
        table.AddColumn("session_id", "uuid").AsPrimaryKey();
        table.AddColumn("part_index", "integer").AsPrimaryKey();
        table.AddColumn("client_id", "uuid").NotNull();
        table.AddColumn("sha256", "text").NotNull();
        table.AddColumn("size", "bigint").NotNull();
        table.AddColumn("content", "bytea").NotNull();
        table.AddColumn("uploaded_at", "timestamptz").NotNull();
        table.Indexes.Add(new IndexDefinition($"ix_{TableName}_client_uploaded") { Columns = ["tenant_id", "client_id", "uploaded_at"] });
        return table;
    }

    internal static string Name(string schema) => $"{schema}.{TableName}";

    [Authorize(Policy = Policies.ActiveAgent)]
    [WolverinePut("/agent/sessions/{id}/recording/parts/{index}")]
    public static async Task<IResult> Put(
        Guid id, int index, HttpContext http, IQuerySession session, NpgsqlRecordings recordings, TimeProvider clock, IOptions<ControlOptions> options,
        CancellationToken cancellation)
    {
        var maxBytes = options.Value.MaxRecordingBytesPerSession;
        var clientId = http.User.OperatorId();
        var summary = await session.LoadAsync<SessionSummary>(id, cancellation);
        if (summary is null)
        {
            return Problems.NotFound("session").ToResult();
        }

        if (summary.ClientId != clientId)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: "The session belongs to another client.");
        }

        if (summary.RecordingParts.FirstOrDefault(p => p.Index == index) is not { } audited)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state.",
                detail: $"No SessionRecordingPart event with index {index} was reported for this session: send the session events first.");
        }

        // A part uploaded again (the agent retries until it sees a 2xx) does not count against its own recording.
        var stored = await recordings.StoredBytes(session.TenantId, id, index, cancellation);
        if (http.Request.ContentLength > MaxPartBytes || stored + (http.Request.ContentLength ?? 0) > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxPartBytes + 1;
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, cancellation);
        var content = body.ToArray();
        if (content.Length > MaxPartBytes || stored + content.Length > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        if (content.Length != audited.Length || !Secrets.HashesEqual(sha256, audited.Sha256))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "The part is not the one in the audit trail.",
                detail: $"Part {index} of this recording was audited with {audited.Length} bytes and SHA-256 {audited.Sha256}; these bytes are not it.");
        }

        var daily = options.Value.MaxRecordingBytesPerClientPerDay;
        return await recordings.Store(session.TenantId, id, index, clientId, content, sha256, clock.GetUtcNow(), daily, cancellation)
            ? Results.Ok()
            : OverDailyVolume(http, daily);
    }

    /// <summary>The recording as far as its parts are stored, in order: the whole of it once the final part is in, and what there is so far while the session runs.</summary>
    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/sessions/{id}/recording")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, NpgsqlRecordings recordings, CancellationToken cancellation)
    {
        var content = await recordings.Read(session.TenantId, id, cancellation);
        return content is null ? Problems.NotFound("recording of a session").ToResult() : Results.Bytes(content, ContentType);
    }

    private static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "The recording is too large.",
        detail: $"A recording is at most {maxBytes} bytes (Control__MaxRecordingBytesPerSession), a part of it at most {MaxPartBytes / 1024} KiB.");

    private static IResult OverDailyVolume(HttpContext http, long daily)
    {
        // The agent keeps the part on disk and retries with back-off; by then older uploads may have aged out.
        http.Response.Headers.RetryAfter = "3600";
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests, title: "Too many recording bytes.",
            detail: $"This client stored {daily} bytes of recordings in the last 24 hours, its limit (Control__MaxRecordingBytesPerClientPerDay); try later.");
    }
}

/// <summary>Reads and writes <see cref="SessionRecordings"/>' table, always within one tenant.</summary>
public sealed class NpgsqlRecordings(NpgsqlDataSource database, IOptions<ControlOptions> options)
{
    private readonly string _table = SessionRecordings.Name(options.Value.DatabaseSchema);

    /// <summary>
    /// Stores a part whose bytes were checked against the audited hash, unless the client's recordings of the 24 hours
    /// before <paramref name="at"/> plus this part would pass <paramref name="dailyBytes"/> (false). A part stored already
    /// is left as it is (the same bytes, by that check) and counts as stored.
    /// </summary>
    public async Task<bool> Store(
        string tenant, Guid sessionId, int index, Guid clientId, byte[] content, string sha256, DateTimeOffset at, long dailyBytes, CancellationToken cancellation)
    {
        // One statement: the volume check and the insert see the same rows (two uploads at once may both pass, by one part at most each).
        await using var insert = database.CreateCommand(
            $"insert into {_table} (tenant_id, session_id, part_index, client_id, sha256, size, content, uploaded_at) select $1, $2, $3, $4, $5, $6, $7, $8 " +
            $"where (select coalesce(sum(size), 0) from {_table} where tenant_id = $1 and client_id = $4 and uploaded_at > $8 - interval '1 day') + $6 <= $9 " +
            "on conflict do nothing");
        insert.Parameters.Add(new NpgsqlParameter { Value = tenant });
        insert.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        insert.Parameters.Add(new NpgsqlParameter { Value = index });
        insert.Parameters.Add(new NpgsqlParameter { Value = clientId });
        insert.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        insert.Parameters.Add(new NpgsqlParameter { Value = (long)content.Length });
        insert.Parameters.Add(new NpgsqlParameter { Value = content, NpgsqlDbType = NpgsqlDbType.Bytea });
        insert.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter { Value = dailyBytes });
        if (await insert.ExecuteNonQueryAsync(cancellation) == 1)
        {
            return true;
        }

        await using var existing = database.CreateCommand($"select 1 from {_table} where tenant_id = $1 and session_id = $2 and part_index = $3");
        existing.Parameters.Add(new NpgsqlParameter { Value = tenant });
        existing.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        existing.Parameters.Add(new NpgsqlParameter { Value = index });
        return await existing.ExecuteScalarAsync(cancellation) is not null;
    }

    /// <summary>How many bytes of this session's recording are stored in parts other than <paramref name="exceptIndex"/> (for its size limit).</summary>
    public async Task<long> StoredBytes(string tenant, Guid sessionId, int exceptIndex, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(
            $"select coalesce(sum(size), 0)::bigint from {_table} where tenant_id = $1 and session_id = $2 and part_index <> $3");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = exceptIndex });
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The stored parts, joined in order up to the first one missing; null when not even the first is stored.</summary>
    public async Task<byte[]?> Read(string tenant, Guid sessionId, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"select part_index, content from {_table} where tenant_id = $1 and session_id = $2 order by part_index");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        using var joined = new MemoryStream();
        var expected = 0;
        while (await reader.ReadAsync(cancellation) && reader.GetInt32(0) == expected)
        {
            joined.Write(reader.GetFieldValue<byte[]>(1));
            expected++;
        }

        return expected == 0 ? null : joined.ToArray();
    }

    public async Task<HashSet<Guid>> Recorded(string tenant, IReadOnlyList<Guid> sessionIds, CancellationToken cancellation)
    {
        var found = new HashSet<Guid>();
        if (sessionIds.Count == 0)
        {
            return found;
        }

        await using var command = database.CreateCommand($"select session_id from {_table} where tenant_id = $1 and session_id = any($2) and part_index = 0");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = sessionIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }
}
