namespace Control.Api.Features.Access;

/// <summary>
/// Indexes that make an access review as of a time cheap (see <see cref="AccessEventLog"/>): streams by type within an
/// organization, and the few secret-teaching session events by client and by viewer alias (partial, so the bulk of
/// session events costs them nothing). Created by <see cref="Infrastructure.EventTableIndexes"/>.
/// </summary>
public static class AccessEventIndexes
{
    private static string KnowledgeTypes => string.Join(", ", AccessEventLog.KnowledgeSessionEventTypes.Select(t => $"'{t}'"));

    public static IEnumerable<(string Name, Func<string, string> On)> Definitions =>
    [
        ("ix_control_streams_tenant_type", schema => $"on {schema}.mt_streams (tenant_id, type)"),
        ("ix_control_events_knowledge_client", schema =>
            $"on {schema}.mt_events (tenant_id, (data ->> 'clientId')) where type in ({KnowledgeTypes})"),
        ("ix_control_events_knowledge_alias", schema =>
            $"on {schema}.mt_events (tenant_id, (data ->> 'viewerAlias')) where type in ({KnowledgeTypes})"),
    ];
}
