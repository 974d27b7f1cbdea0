namespace Control.Api.Features.Audit.History;

/// <summary>
/// Indexes on <c>mt_events</c> that keep a filtered change-log page an index range scan (newest first within one
/// organization, by actor, type, correlation or time); created by <see cref="Infrastructure.EventTableIndexes"/>.
/// </summary>
public static class AuditIndexes
{
    private static readonly (string Name, string Columns)[] Indexes =
    [
        ("ix_mt_events_tenant_seq", "tenant_id, seq_id"),
        ("ix_mt_events_tenant_user_seq", "tenant_id, user_name, seq_id"),
        ("ix_mt_events_tenant_type_seq", "tenant_id, type, seq_id"),
        ("ix_mt_events_tenant_correlation_seq", "tenant_id, correlation_id, seq_id"),
        ("ix_mt_events_tenant_timestamp", "tenant_id, timestamp"),
    ];

    public static IEnumerable<(string Name, Func<string, string> On)> Definitions =>
        Indexes.Select(i => (i.Name, (Func<string, string>)(schema => $"on {schema}.mt_events ({i.Columns})")));
}
