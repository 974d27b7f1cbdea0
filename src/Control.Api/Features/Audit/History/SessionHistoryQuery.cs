using System.Globalization;
using System.Text;
using System.Text.Json;
using Control.Api.Features.Clients;
using Control.Api.Features.People;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.People;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using NpgsqlTypes;

namespace Control.Api.Features.Audit.History;

/// <summary>The session-history filters, checked and resolved; they combine with "and".</summary>
/// <param name="Viewers">The aliases of one person (their operators' and linked viewer aliases), or null for anyone.</param>
public sealed record SessionHistoryFilter(Guid? ClientId, string? Viewer, string[]? Viewers, bool DeniedOnly, DateTimeOffset? From, DateTimeOffset? To);

/// <summary>Where a page ends: sessions are ordered by (start, id), newest first, so a later page starts strictly below this.</summary>
public readonly record struct SessionCursor(DateTimeOffset StartedAt, Guid Id)
{
    public override string ToString() =>
        ((StartedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture) + "_" + Id.ToString("N");

    public static bool TryParse(string text, out SessionCursor cursor)
    {
        cursor = default;
        var parts = text.Split('_');
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var micros)
            || micros > (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10 || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new SessionCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), id);
        return true;
    }
}

/// <summary>
/// Session history as SQL over the session summaries (one document per session, folded inline from its events), shared by
/// the page (<c>GET /audit/sessions</c>) and the export: one tenant, newest first by (start, id), the client's name joined,
/// the recording's existence joined (never its bytes), the person found by the viewer alias.
/// </summary>
public static class SessionHistoryQuery
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(SessionHistoryFilter? Filter, ProblemDetails? Problem)> Parse(
        IQuerySession session, string? client, string? person, string? viewer, bool denied, DateTimeOffset? from, DateTimeOffset? to,
        CancellationToken cancellation)
    {
        Guid? clientId = null;
        if (!string.IsNullOrWhiteSpace(client))
        {
            var found = await ClientLookup.Find(session, client, cancellation);
            if (found is null)
            {
                return (null, Problems.NotFound("client"));
            }

            clientId = found.Id;
        }

        string[]? viewers = null;
        if (!string.IsNullOrWhiteSpace(person))
        {
            var found = await PersonLookup.Find(session, person, cancellation);
            if (found is null)
            {
                return (null, Problems.NotFound("person"));
            }

            viewers = [.. Aliases(found)];
        }

        string? alias = null;
        if (!string.IsNullOrWhiteSpace(viewer))
        {
            alias = viewer.Trim().ToLowerInvariant();
            alias = alias.Contains('@', StringComparison.Ordinal) ? alias : $"{alias}@{session.TenantId}";
        }

        return (new SessionHistoryFilter(clientId, alias, viewers, denied, from?.ToUniversalTime(), to?.ToUniversalTime()), null);
    }

    /// <summary>Every viewer alias a person has had: their operators', the ones linked to them, and the ones an offboarding released.</summary>
    private static IEnumerable<string> Aliases(Person person) =>
        person.AclIdentities().Concat(person.ReleasedAliases).Where(a => a.Contains('@', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal);

    /// <summary>Viewer alias to person, for the organization's people (a person is shown on each session one of their aliases opened).</summary>
    public static async Task<Dictionary<string, (Guid Id, string Name)>> People(IQuerySession session, CancellationToken cancellation)
    {
        var people = new Dictionary<string, (Guid, string)>(StringComparer.Ordinal);
        foreach (var person in await session.Query<Person>().ToListAsync(cancellation))
        {
            foreach (var alias in Aliases(person))
            {
                people.TryAdd(alias, (person.Id, person.Name));
            }
        }

        return people;
    }

    /// <param name="connection">The connection to run on (an export's snapshot), or null for one from the pool.</param>
    public static NpgsqlCommand Command(
        NpgsqlDataSource database, string schema, string tenant, SessionHistoryFilter filter, SessionCursor? after, int? limit,
        NpgsqlConnection? connection = null)
    {
        var sql = new StringBuilder($"""
            select s.id, s.started_at, s.client_id, s.viewer_alias, s.data ->> 'source', s.data ->> 'justification',
                   (s.data ->> 'closedAt')::timestamptz, (s.data ->> 'durationMilliseconds')::bigint, s.data ->> 'deniedReason',
                   s.data ->> 'endedBy', s.data ->> 'endReason', s.data ->> 'authenticatedAt', s.data -> 'methods', s.data -> 'channels',
                   s.data -> 'files', c.data ->> 'alias', c.data ->> 'number', r.session_id is not null
            from {schema}.mt_doc_sessionsummary s
            left join {schema}.mt_doc_client c on c.tenant_id = s.tenant_id and c.id = s.client_id
            left join {SessionRecordingsTable(schema)} r on r.tenant_id = s.tenant_id and r.session_id = s.id and r.part_index = 0
            where s.tenant_id = $1
            """);
        var command = connection?.CreateCommand() ?? database.CreateCommand();
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        string Parameter(object value, NpgsqlDbType? type = null) => SqlParameters.Add(command, value, type);

        if (filter.ClientId is { } clientId)
        {
            sql.Append($" and s.client_id = {Parameter(clientId)}");
        }

        if (filter.Viewer is { } viewer)
        {
            sql.Append($" and s.viewer_alias = {Parameter(viewer)}");
        }

        if (filter.Viewers is { } viewers)
        {
            sql.Append($" and s.viewer_alias = any({Parameter(viewers, NpgsqlDbType.Array | NpgsqlDbType.Varchar)})");
        }

        if (filter.DeniedOnly)
        {
            sql.Append(" and s.denied_at is not null");
        }

        if (filter.From is { } from)
        {
            sql.Append($" and s.started_at >= {Parameter(from)}");
        }

        if (filter.To is { } to)
        {
            sql.Append($" and s.started_at < {Parameter(to)}");
        }

        if (after is { } cursor)
        {
            sql.Append($" and (s.started_at, s.id) < ({Parameter(cursor.StartedAt)}, {Parameter(cursor.Id)})");
        }

        sql.Append(" order by s.started_at desc, s.id desc");
        if (limit is { } l)
        {
            sql.Append(CultureInfo.InvariantCulture, $" limit {l}");
        }

        command.CommandText = sql.ToString();
        return command;
    }

    public static SessionHistoryRow Read(NpgsqlDataReader reader, IReadOnlyDictionary<string, (Guid Id, string Name)> people)
    {
        string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
        T[] List<T>(int ordinal) => reader.IsDBNull(ordinal) ? [] : JsonSerializer.Deserialize<T[]>(reader.GetString(ordinal), Json) ?? [];
        var id = reader.GetGuid(0);
        var viewer = Text(3);
        DateTimeOffset? closedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6);
        var deniedReason = Text(8);
        var outcome = deniedReason is not null ? "denied" : closedAt is not null ? "ended" : Text(11) is not null ? "live" : "requested";
        (Guid Id, string Name)? person = viewer is not null && people.TryGetValue(viewer, out var p) ? p : null;
        return new SessionHistoryRow(
            id, reader.GetFieldValue<DateTimeOffset>(1), closedAt, reader.IsDBNull(7) ? null : reader.GetInt64(7),
            reader.GetGuid(2), Text(16), Text(15), viewer, person?.Id, person?.Name, Text(4), Text(5), outcome, deniedReason, Text(9), Text(10),
            List<string>(12), List<string>(13), List<SessionFileView>(14), reader.GetBoolean(17) ? RecordingUrl(id) : null);
    }

    /// <summary>The path of <see cref="Sessions.SessionRecordings"/>' download endpoint, relative to the API's base address.</summary>
    public static string RecordingUrl(Guid sessionId) => $"/sessions/{sessionId}/recording";

    private static string SessionRecordingsTable(string schema) => Sessions.SessionRecordings.Name(schema);
}
