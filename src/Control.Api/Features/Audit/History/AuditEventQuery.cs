using System.Globalization;
using System.Text;
using Control.Api.Infrastructure;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;

namespace Control.Api.Features.Audit.History;

/// <summary>The change-log filters, checked and resolved: every part is optional and they combine with "and".</summary>
public sealed record AuditEventFilter(
    string[] Types, string? Actor, Guid? Stream, string? Correlation, DateTimeOffset? From, DateTimeOffset? To, AuditTarget? Target);

/// <summary>One change-log row as read from <c>mt_events</c>, its body already redacted (UTF-8 JSON).</summary>
public readonly record struct AuditEventRow(
    long Sequence, Guid EventId, string Type, Guid StreamId, long Version, DateTimeOffset Timestamp,
    string? Actor, string? Reason, string? CorrelationId, string? Target, ReadOnlyMemory<byte> Data);

/// <summary>
/// The change log as SQL over <c>mt_events</c>, shared by the page (<c>GET /audit/events</c>) and the export: one tenant,
/// newest first by sequence number, with the target's readable label joined from the documents of the event's stream.
/// </summary>
public static class AuditEventQuery
{
    /// <summary>Checks and resolves the query-string filters; a problem (400 or 404) when any is wrong.</summary>
    public static async Task<(AuditEventFilter? Filter, ProblemDetails? Problem)> Parse(
        IQuerySession session, string? type, string? actor, Guid? stream, string? correlation, DateTimeOffset? from, DateTimeOffset? to, string? target,
        CancellationToken cancellation)
    {
        var types = (type ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (types.Any(t => t.Length > 100 || !t.All(char.IsAsciiLetterOrDigit)))
        {
            return (null, Problems.Field("type", "Event types are names such as OperatorDisabled, separated by commas."));
        }

        AuditTarget? resolved = null;
        if (!string.IsNullOrWhiteSpace(target))
        {
            var (found, problem) = await AuditTargets.Resolve(session, target, cancellation);
            if (problem is not null)
            {
                return (null, problem);
            }

            resolved = found;
        }

        return (new AuditEventFilter(
            [.. types.Select(EventTypes.Alias)], string.IsNullOrWhiteSpace(actor) ? null : actor.Trim(), stream,
            string.IsNullOrWhiteSpace(correlation) ? null : correlation.Trim(), from?.ToUniversalTime(), to?.ToUniversalTime(), resolved), null);
    }

    /// <param name="before">The cursor: only events older than this sequence number.</param>
    /// <param name="limit">Rows to read, or null for all (an export).</param>
    /// <param name="connection">The connection to run on (an export's snapshot), or null for one from the pool.</param>
    /// <param name="fromSequence">Only events from this sequence number on (an export's chunk, see <see cref="ChunkStart"/>).</param>
    public static NpgsqlCommand Command(
        NpgsqlDataSource database, string schema, string tenant, AuditEventFilter filter, long? before, int? limit, NpgsqlConnection? connection = null,
        long? fromSequence = null)
    {
        // The target's label comes from AuditTargetLabels, not from joins here: a join per document kind made planning
        // alone cost more than the page, and an export would probe every one of them for every row.
        var sql = new StringBuilder($"""
            select {Columns("e")}
            from {schema}.mt_events e
            where e.tenant_id = $1
            """);
        var command = connection?.CreateCommand() ?? database.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        command.Parameters.Add(new NpgsqlParameter { Value = AuditTargetLabels.SessionEventTypes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        string Parameter(object value, NpgsqlDbType? type = null) => SqlParameters.Add(command, value, type);

        const NpgsqlDbType Names = NpgsqlDbType.Array | NpgsqlDbType.Varchar;
        if (filter.Types.Length == 1)
        {
            // Equality rather than "any": the planner then weighs this type's own frequency (and its index) properly.
            sql.Append($" and e.type = {Parameter(filter.Types[0])}");
        }
        else if (filter.Types.Length > 1)
        {
            sql.Append($" and e.type = any({Parameter(filter.Types, Names)})");
        }

        if (filter.Actor is { } actor)
        {
            sql.Append($" and e.user_name = {Parameter(actor)}");
        }

        if (filter.Stream is { } stream)
        {
            sql.Append($" and e.stream_id = {Parameter(stream)}");
        }

        if (filter.Correlation is { } correlation)
        {
            sql.Append($" and e.correlation_id = {Parameter(correlation)}");
        }

        if (filter.From is { } from)
        {
            sql.Append($" and e.timestamp >= {Parameter(from)}");
        }

        if (filter.To is { } to)
        {
            sql.Append($" and e.timestamp < {Parameter(to)}");
        }

        if (filter.Target is { } target)
        {
            var onStreams = $"e.stream_id = any({Parameter(target.Streams)})";
            if (target.TypesOnStreams is { } typesOnStreams)
            {
                onStreams += $" and e.type = any({Parameter(typesOnStreams, Names)})";
            }

            sql.Append(target.TypesAnywhere is { } anywhere
                ? $" and (({onStreams}) or e.type = any({Parameter(anywhere, Names)}))"
                : $" and {onStreams}");
        }

        if (fromSequence is { } lowest && filter is { Types.Length: 0, Actor: null, Stream: null, Correlation: null, Target: null })
        {
            // A chunk of everything (or a time range): bounds on (organization, sequence) together, which only that index
            // can answer. With bounds on the sequence alone the planner walked the global key and read every
            // organization's rows in the range, ten times the rows with ten organizations (12.6 µs a row, not 5.9).
            // Bounded on both sides even for the newest chunk: with a lower bound alone the planner took the chunk for the
            // whole organization and read all of it (97 ms for the first 1,000 rows of 100,000).
            sql.Append($" and (e.tenant_id, e.seq_id) >= ($1, {Parameter(lowest)})");
            sql.Append($" and (e.tenant_id, e.seq_id) < ($1, {Parameter(before ?? long.MaxValue)})");
            sql.Append(" order by e.tenant_id desc, e.seq_id desc");
        }
        else
        {
            if (before is { } b)
            {
                sql.Append($" and e.seq_id < {Parameter(b)}");
            }

            if (fromSequence is { } f)
            {
                sql.Append($" and e.seq_id >= {Parameter(f)}");
            }

            sql.Append(" order by e.seq_id desc");
        }
        if (limit is { } l)
        {
            // A page picks its sequence numbers first, from an index alone (organization + filter + seq_id), then reads
            // those rows. Asked directly, the planner walks the global seq_id key and filters by organization: cheap on
            // paper, but when another organization wrote the newest 300,000 events it reads all of them first.
            command.CommandText = $"""
                select {Columns("x")}
                from {schema}.mt_events x
                where x.tenant_id = $1 and x.seq_id in ({sql.ToString().Replace(Columns("e"), "e.seq_id", StringComparison.Ordinal)} limit {l.ToString(CultureInfo.InvariantCulture)})
                order by x.seq_id desc
                """;
            return command;
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>
    /// The lowest sequence number among the next <paramref name="size"/> matching events older than <paramref name="before"/>
    /// (null when none is left), from the organization's indexes alone. An export then reads the chunk as the range from
    /// there to <paramref name="before"/>: a range the planner sizes right, where the page's "in (…)" form made it hash
    /// the chunk and scan the whole table once per chunk.
    /// </summary>
    public static NpgsqlCommand ChunkStart(
        NpgsqlDataSource database, string schema, string tenant, AuditEventFilter filter, long? before, int size, NpgsqlConnection connection)
    {
        var command = Command(database, schema, tenant, filter, before, limit: null, connection);
        command.CommandText = $"""
            select min(k.seq_id) from ({command.CommandText.Replace(Columns("e"), "e.seq_id", StringComparison.Ordinal)} limit {size.ToString(CultureInfo.InvariantCulture)}) k
            """;
        return command;
    }

    private static string Columns(string alias) => $"""
        {alias}.seq_id, {alias}.id, {alias}.stream_id, {alias}.version, {alias}.mt_dotnet_type, {alias}.timestamp, {alias}.user_name,
        {alias}.correlation_id, {alias}.headers ->> '{AuditMetadata.ReasonHeader}', {alias}.data::text, {alias}.type,
        case when {alias}.type = any($2) then {alias}.data ->> 'clientId' end
        """;

    /// <summary>The current row, redacted and labelled; <paramref name="buffer"/> is reused across rows (the data points into it).</summary>
    public static AuditEventRow Read(NpgsqlDataReader reader, AuditTargetLabels labels, AuditRedaction buffer)
    {
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        var streamId = reader.GetGuid(2);
        return new AuditEventRow(
            reader.GetInt64(0), reader.GetGuid(1), EventTypes.Name(reader.GetString(4)), streamId, reader.GetInt64(3),
            reader.GetFieldValue<DateTimeOffset>(5), Text(6), Text(8), Text(7), labels.For(streamId, reader.GetString(10), SessionClient(reader)),
            buffer.Redact(reader, 9));
    }

    /// <summary>The client of a session event (its stream is the session's, which has no document label of its own).</summary>
    public static Guid? SessionClient(NpgsqlDataReader reader) =>
        reader.IsDBNull(11) || !Guid.TryParse(reader.GetString(11), out var clientId) ? null : clientId;
}

/// <summary>Positional parameters for SQL built from optional filters: adds one and returns its placeholder (<c>$3</c>).</summary>
public static class SqlParameters
{
    public static string Add(NpgsqlCommand command, object value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } t)
        {
            parameter.NpgsqlDbType = t;
        }

        command.Parameters.Add(parameter);
        return "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
    }
}
