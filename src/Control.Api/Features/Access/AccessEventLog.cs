using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json.Nodes;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Access;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Control.Api.Features.Access;

/// <summary>The audit envelope of a stored event (who, why, which correlation), for listings.</summary>
public sealed record EventEnvelope(RecordedEvent Event, string TypeName, string? Actor, string? Reason, string? Correlation);

/// <summary>
/// Reads exactly the events an access review (or an ACL history) folds, straight from Marten's event table: the streams of
/// the organization, its operators, people and the clients asked about (by the stream type Marten records when a stream is
/// started for an aggregate), plus the few session facts that teach a secret (a password sign-in, a remember-token),
/// picked by event type and client or alias through partial indexes (<see cref="AccessEventIndexes"/>). The many other
/// session events are never read. One statement per read; the events are deserialized with Marten's own serializer.
/// </summary>
public sealed class AccessEventLog(NpgsqlDataSource database, IOptions<ControlOptions> options, IDocumentStore store)
{
    /// <summary>Marten's stream types (aggregate aliases) of the streams a review folds.</summary>
    public static readonly IReadOnlyDictionary<string, StreamKind> StreamTypes = new Dictionary<string, StreamKind>(StringComparer.Ordinal)
    {
        ["organization"] = StreamKind.Organization,
        ["operator"] = StreamKind.Operator,
        ["person"] = StreamKind.Person,
        ["client"] = StreamKind.Client,
    };

    /// <summary>Session events that teach a secret (see SecretKnowledge.KeyOf); Marten's aliases of their types.</summary>
    public static readonly string[] KnowledgeSessionEventTypes = ["session_authenticated", "remember_token_issued"];

    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);
    private readonly ISerializer _serializer = store.Options.Serializer();
    private string Schema => options.Value.DatabaseSchema;

    /// <summary>
    /// The events up to <paramref name="at"/> of the organization, operators and people, of one client (or every client when
    /// null), and the secret-teaching session events on that client.
    /// </summary>
    public Task<List<RecordedEvent>> ForReview(string tenant, DateTimeOffset at, Guid? client, CancellationToken cancellation)
    {
        var sql = $"""
            select e.seq_id, e.timestamp, e.stream_id, s.type, e.mt_dotnet_type, e.data
            from {Schema}.mt_events e join {Schema}.mt_streams s on s.tenant_id = e.tenant_id and s.id = e.stream_id
            where e.tenant_id = $1 and e.timestamp <= $2 and s.tenant_id = $1 and s.type = any($3)
            union all
            select e.seq_id, e.timestamp, e.stream_id, 'client', e.mt_dotnet_type, e.data
            from {Schema}.mt_events e
            where e.tenant_id = $1 and e.timestamp <= $2 and e.stream_id = $4
            union all
            select e.seq_id, e.timestamp, e.stream_id, null, e.mt_dotnet_type, e.data
            from {Schema}.mt_events e
            where e.tenant_id = $1 and e.timestamp <= $2 and e.type = any($5) and (e.data ->> 'clientId') = $6
            """;
        string[] streamTypes = client is null ? ["organization", "operator", "person", "client"] : ["organization", "operator", "person"];
        return Read(sql, [Text(tenant), Time(at), TextArray(streamTypes), new NpgsqlParameter { Value = client ?? Guid.Empty },
            TextArray(KnowledgeSessionEventTypes), Text(client?.ToString() ?? "")], cancellation);
    }

    /// <summary>The secret-teaching session events up to <paramref name="at"/> of these viewer aliases, on any client.</summary>
    public Task<List<RecordedEvent>> KnowledgeOf(string tenant, DateTimeOffset at, IReadOnlyCollection<string> aliases, CancellationToken cancellation)
    {
        var sql = $"""
            select e.seq_id, e.timestamp, e.stream_id, null, e.mt_dotnet_type, e.data
            from {Schema}.mt_events e
            where e.tenant_id = $1 and e.timestamp <= $2 and e.type = any($3) and (e.data ->> 'viewerAlias') = any($4)
            """;
        return Read(sql, [Text(tenant), Time(at), TextArray(KnowledgeSessionEventTypes), TextArray(aliases.ToArray())], cancellation);
    }

    /// <summary>Every event of one client's stream and of the organization's stream, with its audit envelope, in log order.</summary>
    public async Task<List<EventEnvelope>> ClientAndOrganization(string tenant, Guid client, CancellationToken cancellation)
    {
        var sql = $"""
            select e.seq_id, e.timestamp, e.stream_id, s.type, e.mt_dotnet_type, e.data, e.user_name, e.headers, e.correlation_id
            from {Schema}.mt_events e join {Schema}.mt_streams s on s.tenant_id = e.tenant_id and s.id = e.stream_id
            where e.tenant_id = $1 and s.tenant_id = $1 and (e.stream_id = $2 or s.type = 'organization')
            order by e.seq_id
            """;
        var envelopes = new List<EventEnvelope>();
        await Each(sql, [Text(tenant), new NpgsqlParameter { Value = client }], (reader, recorded) =>
        {
            var headers = reader.IsDBNull(7) ? null : JsonNode.Parse(reader.GetString(7))?.AsObject();
            envelopes.Add(new EventEnvelope(
                recorded, recorded.Data.GetType().Name, reader.IsDBNull(6) ? null : reader.GetString(6),
                headers?[AuditMetadata.ReasonHeader]?.GetValue<string>(), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }, cancellation);
        return envelopes;
    }

    private async Task<List<RecordedEvent>> Read(string sql, NpgsqlParameter[] parameters, CancellationToken cancellation)
    {
        var events = new List<RecordedEvent>();
        await Each(sql, parameters, (_, recorded) => events.Add(recorded), cancellation);
        return events;
    }

    private async Task Each(string sql, NpgsqlParameter[] parameters, Action<DbDataReader, RecordedEvent> each, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            // An event type this build no longer has cannot change what this build's aggregates fold: skip it. Only the
            // domain's own types are ever instantiated, whatever a row names.
            if (Types.GetOrAdd(reader.GetString(4), DomainType) is not { } type)
            {
                continue;
            }

            var kind = reader.IsDBNull(3) ? StreamKind.Other : StreamTypes.GetValueOrDefault(reader.GetString(3), StreamKind.Other);
            var data = _serializer.FromJson(type, reader, 5);
            each(reader, new RecordedEvent(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetGuid(2), kind, data));
        }
    }

    private static Type? DomainType(string name) =>
        Type.GetType(name, throwOnError: false) is { } type && type.Assembly == typeof(RecordedEvent).Assembly ? type : null;

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Varchar };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter TextArray(string[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar };
}
