using System.Globalization;
using System.Text;
using Control.Api.Infrastructure;
using Control.Domain.Organizations;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;

namespace Control.Api.Features.Audit;

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
    private static readonly string[] LicenseTypes = [EventTypes.Alias(nameof(LicenseKeyIssued)), EventTypes.Alias(nameof(LicenseKeyReset)), EventTypes.Alias(nameof(Domain.Common.SecretRevealed))];

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
    public static NpgsqlCommand Command(NpgsqlDataSource database, string schema, string tenant, AuditEventFilter filter, long? before, int? limit)
    {
        var sql = new StringBuilder($"""
            select e.seq_id, e.id, e.stream_id, e.version, e.mt_dotnet_type, e.timestamp, e.user_name, e.correlation_id,
                   e.headers ->> '{AuditMetadata.ReasonHeader}', e.data::text, e.type,
                   c.data ->> 'alias', c.data ->> 'number', o.data ->> 'username', p.data ->> 'name', cc.data ->> 'name', org.data ->> 'slug',
                   coalesce(s.data ->> 'viewerAlias', case when s.id is not null then 'an unknown viewer' end), sc.data ->> 'alias', sc.data ->> 'number', ob.data ->> 'personName'
            from {schema}.mt_events e
            left join {schema}.mt_doc_client c on c.tenant_id = e.tenant_id and c.id = e.stream_id
            left join {schema}.mt_doc_operator o on o.tenant_id = e.tenant_id and o.id = e.stream_id
            left join {schema}.mt_doc_person p on p.tenant_id = e.tenant_id and p.id = e.stream_id
            left join {schema}.mt_doc_customclient cc on cc.tenant_id = e.tenant_id and cc.id = e.stream_id
            left join {schema}.mt_doc_organization org on org.tenant_id = e.tenant_id and org.id = e.stream_id
            left join {schema}.mt_doc_sessionsummary s on s.tenant_id = e.tenant_id and s.id = e.stream_id
            left join {schema}.mt_doc_client sc on sc.tenant_id = s.tenant_id and sc.id = s.client_id
            left join {schema}.mt_doc_offboarding ob on ob.tenant_id = e.tenant_id and ob.id = e.stream_id
            where e.tenant_id = $1
            """);
        var command = database.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        string Parameter(object value, NpgsqlDbType? type = null)
        {
            var parameter = new NpgsqlParameter { Value = value };
            if (type is { } t)
            {
                parameter.NpgsqlDbType = t;
            }

            command.Parameters.Add(parameter);
            return "$" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        const NpgsqlDbType Names = NpgsqlDbType.Array | NpgsqlDbType.Varchar;
        if (filter.Types.Length > 0)
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

        if (before is { } b)
        {
            sql.Append($" and e.seq_id < {Parameter(b)}");
        }

        sql.Append(" order by e.seq_id desc");
        if (limit is { } l)
        {
            sql.Append(CultureInfo.InvariantCulture, $" limit {l}");
        }

        command.CommandText = sql.ToString();
        return command;
    }

    /// <summary>The current row, redacted; <paramref name="buffer"/> is reused across rows (the data points into it).</summary>
    public static AuditEventRow Read(NpgsqlDataReader reader, string tenant, AuditRedaction buffer)
    {
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        var type = reader.GetString(10);
        string? target = (Text(11), Text(12)) is (var alias, var number) && (alias ?? number) is not null ? AuditLabels.Client(alias, number)
            : Text(13) is { } username ? $"operator {username}@{tenant}"
            : Text(14) is { } person ? "person " + person
            : Text(15) is { } customClient ? "custom client " + customClient
            : Text(16) is { } slug ? (LicenseTypes.Contains(type) ? "license" : "organization " + slug)
            : Text(17) is { } viewer ? $"session of {viewer} on {AuditLabels.Client(Text(18), Text(19))}"
            : Text(20) is { } offboarded ? "offboarding of " + offboarded
            : null;
        return new AuditEventRow(
            reader.GetInt64(0), reader.GetGuid(1), EventTypes.Name(reader.GetString(4)), reader.GetGuid(2), reader.GetInt64(3),
            reader.GetFieldValue<DateTimeOffset>(5), Text(6), Text(8), Text(7), target, buffer.Redact(reader.GetString(9)));
    }
}
