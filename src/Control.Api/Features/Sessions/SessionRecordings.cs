using System.Security.Cryptography;
using Control.Api.Auth;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
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
/// Shell-session recordings (asciicast v2) in a bytea table rather than a JSON document: a recording is tens of
/// megabytes of bytes, which as base64 inside jsonb would cost a third more and be parsed on every read. Write-once: the
/// agent may upload again (it retries until it sees a 2xx), identical bytes are a no-op, different bytes a conflict.
/// Volume is bounded per session (<see cref="ControlOptions.MaxRecordingBytesPerSession"/>, 413) and per client and day
/// (<see cref="ControlOptions.MaxRecordingBytesPerClientPerDay"/>, 429): an agent credential, stolen or not, cannot fill the database.
/// </summary>
public static class SessionRecordings
{
    public const string ContentType = "application/x-asciicast";
    private const string TableName = "control_session_recordings";

    /// <summary>Part of the schema Marten creates or migrates (and <c>db-apply</c> applies).</summary>
    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn("tenant_id", "text").AsPrimaryKey();
        table.AddColumn("session_id", "uuid").AsPrimaryKey();
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
    [WolverinePut("/agent/sessions/{id}/recording")]
    public static async Task<IResult> Put(
        Guid id, HttpContext http, IQuerySession session, NpgsqlRecordings recordings, TimeProvider clock, IOptions<ControlOptions> options,
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

        if (http.Request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes + 1;
        }

        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, cancellation)) > 0)
        {
            if (body.Length + read > maxBytes)
            {
                return TooLarge(maxBytes);
            }

            body.Write(buffer, 0, read);
        }

        var content = body.ToArray();
        if (content.Length == 0)
        {
            return Problems.BadRequest("The body is the recording (asciicast v2); it is empty.").ToResult();
        }

        var now = clock.GetUtcNow();
        var daily = options.Value.MaxRecordingBytesPerClientPerDay;
        var stored = await recordings.Store(session.TenantId, id, clientId, content, now, daily, cancellation);
        return stored switch
        {
            RecordingStored.Stored => Results.Ok(),
            RecordingStored.OverDailyVolume => OverDailyVolume(http, daily),
            _ => Results.Problem(
                statusCode: StatusCodes.Status409Conflict, title: "The request conflicts with the current state.",
                detail: "A different recording of this session is already stored; recordings never change once stored."),
        };
    }

    [Authorize(Policy = Policies.ReadAudit)]
    [WolverineGet("/sessions/{id}/recording")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, NpgsqlRecordings recordings, CancellationToken cancellation)
    {
        var content = await recordings.Read(session.TenantId, id, cancellation);
        return content is null ? Problems.NotFound("recording of a session").ToResult() : Results.Bytes(content, ContentType);
    }

    private static IResult TooLarge(long maxBytes) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "The recording is too large.",
        detail: $"A recording is at most {maxBytes} bytes (Control__MaxRecordingBytesPerSession).");

    private static IResult OverDailyVolume(HttpContext http, long daily)
    {
        // The agent keeps the recording on disk and retries with back-off; by then older uploads may have aged out.
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
    /// Stores the recording unless the client's recordings of the 24 hours before <paramref name="at"/> plus this one would
    /// pass <paramref name="dailyBytes"/>. Already stored with the same bytes counts as stored.
    /// </summary>
    public async Task<RecordingStored> Store(
        string tenant, Guid sessionId, Guid clientId, byte[] content, DateTimeOffset at, long dailyBytes, CancellationToken cancellation)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        // One statement: the volume check and the insert see the same rows (two uploads at once may both pass, by one recording at most each).
        await using var insert = database.CreateCommand(
            $"insert into {_table} (tenant_id, session_id, client_id, sha256, size, content, uploaded_at) select $1, $2, $3, $4, $5, $6, $7 " +
            $"where (select coalesce(sum(size), 0) from {_table} where tenant_id = $1 and client_id = $3 and uploaded_at > $7 - interval '1 day') + $5 <= $8 " +
            "on conflict do nothing");
        insert.Parameters.Add(new NpgsqlParameter { Value = tenant });
        insert.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        insert.Parameters.Add(new NpgsqlParameter { Value = clientId });
        insert.Parameters.Add(new NpgsqlParameter { Value = sha256 });
        insert.Parameters.Add(new NpgsqlParameter { Value = (long)content.Length });
        insert.Parameters.Add(new NpgsqlParameter { Value = content, NpgsqlDbType = NpgsqlDbType.Bytea });
        insert.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        insert.Parameters.Add(new NpgsqlParameter { Value = dailyBytes });
        if (await insert.ExecuteNonQueryAsync(cancellation) == 1)
        {
            return RecordingStored.Stored;
        }

        await using var existing = database.CreateCommand($"select sha256 from {_table} where tenant_id = $1 and session_id = $2");
        existing.Parameters.Add(new NpgsqlParameter { Value = tenant });
        existing.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return await existing.ExecuteScalarAsync(cancellation) switch
        {
            null => RecordingStored.OverDailyVolume,
            string stored when stored == sha256 => RecordingStored.Stored,
            _ => RecordingStored.Different,
        };
    }

    public async Task<byte[]?> Read(string tenant, Guid sessionId, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand($"select content from {_table} where tenant_id = $1 and session_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        return await command.ExecuteScalarAsync(cancellation) as byte[];
    }

    public async Task<HashSet<Guid>> Recorded(string tenant, IReadOnlyList<Guid> sessionIds, CancellationToken cancellation)
    {
        var found = new HashSet<Guid>();
        if (sessionIds.Count == 0)
        {
            return found;
        }

        await using var command = database.CreateCommand($"select session_id from {_table} where tenant_id = $1 and session_id = any($2)");
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

public enum RecordingStored
{
    Stored,
    Different,
    OverDailyVolume,
}
