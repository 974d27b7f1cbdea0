using Control.Domain.Organizations;
using Control.Domain.Sessions;
using Npgsql;
using NpgsqlTypes;

namespace Control.Api.Features.Audit.History;

/// <summary>
/// Readable names of the streams an organization's events belong to (client, operator, person, custom client,
/// organization or license, offboarding), read in one query: for a page, only its streams; for an export, all of the
/// organization's (a few thousand short rows, instead of several index probes per exported event).
/// </summary>
public sealed class AuditTargetLabels
{
    /// <summary>Types of the events agents report about sessions (their streams are sessions, labelled by their client).</summary>
    public static readonly string[] SessionEventTypes =
        [.. typeof(SessionEvent).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(SessionEvent))).Select(t => EventTypes.Alias(t.Name))];

    private static readonly HashSet<string> LicenseTypes =
        [EventTypes.Alias(nameof(LicenseKeyIssued)), EventTypes.Alias(nameof(LicenseKeyReset)), EventTypes.Alias(nameof(Domain.Common.SecretRevealed))];

    private readonly Dictionary<Guid, (string Kind, string Label)> _labels;

    private AuditTargetLabels(Dictionary<Guid, (string Kind, string Label)> labels) => _labels = labels;

    /// <summary>Names nothing: for reading rows before their labels are known.</summary>
    public static AuditTargetLabels None { get; } = new([]);

    /// <param name="only">The streams (and session clients) to name, or null for every one of the organization.</param>
    public static async Task<AuditTargetLabels> Load(
        NpgsqlDataSource database, string schema, string tenant, IReadOnlyCollection<Guid>? only, CancellationToken cancellation)
    {
        var labels = new Dictionary<Guid, (string, string)>();
        if (only is { Count: 0 })
        {
            return new AuditTargetLabels(labels);
        }

        var filter = only is null ? "" : " and id = any($2)";
        await using var command = database.CreateCommand($"""
            select id, 'client', data ->> 'alias', data ->> 'number' from {schema}.mt_doc_client where tenant_id = $1{filter}
            union all select id, 'operator', data ->> 'username', null from {schema}.mt_doc_operator where tenant_id = $1{filter}
            union all select id, 'person', data ->> 'name', null from {schema}.mt_doc_person where tenant_id = $1{filter}
            union all select id, 'custom client', data ->> 'name', null from {schema}.mt_doc_customclient where tenant_id = $1{filter}
            union all select id, 'organization', data ->> 'slug', null from {schema}.mt_doc_organization where tenant_id = $1{filter}
            union all select id, 'offboarding', data ->> 'personName', null from {schema}.mt_doc_offboarding where tenant_id = $1{filter}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenant });
        if (only is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = only.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var kind = reader.GetString(1);
            var name = reader.IsDBNull(2) ? null : reader.GetString(2);
            var label = kind switch
            {
                "client" => AuditLabels.Client(name, reader.IsDBNull(3) ? null : reader.GetString(3)),
                "operator" => $"operator {name}@{tenant}",
                "offboarding" => "offboarding of " + name,
                _ => $"{kind} {name}",
            };
            labels.TryAdd(reader.GetGuid(0), (kind, label));
        }

        return new AuditTargetLabels(labels);
    }

    /// <summary>The label of an event's target: its stream's, the license for license events, a session's client for session events.</summary>
    public string? For(Guid streamId, string typeAlias, Guid? sessionClient)
    {
        if (_labels.TryGetValue(streamId, out var found))
        {
            return found.Kind == "organization" && LicenseTypes.Contains(typeAlias) ? "license" : found.Label;
        }

        return sessionClient is { } clientId
            ? "session on " + (_labels.TryGetValue(clientId, out var client) ? client.Label : "client " + clientId)
            : null;
    }
}
