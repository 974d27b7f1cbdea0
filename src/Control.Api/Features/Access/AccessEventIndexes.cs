using Control.Api.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Access;

/// <summary>
/// Indexes on Marten's own event tables that make an access review as of a time cheap (see <see cref="AccessEventLog"/>):
/// streams by type within an organization, and the few secret-teaching session events by client and by viewer alias
/// (partial, so the bulk of session events costs them nothing). Marten declares no custom indexes on its event tables,
/// so they are created here, idempotently, once Marten has applied its schema (this service is registered after
/// Marten's); <see cref="Names"/> are registered with <c>Events.IgnoreIndex</c> so that Marten's migration keeps them
/// instead of dropping them on the next start (which would rebuild them on every start).
/// </summary>
public sealed class AccessEventIndexes(NpgsqlDataSource database, IOptions<ControlOptions> options, ILogger<AccessEventIndexes> logger) : IHostedService
{
    private const string StreamsByType = "ix_control_streams_tenant_type";
    private const string KnowledgeByClient = "ix_control_events_knowledge_client";
    private const string KnowledgeByAlias = "ix_control_events_knowledge_alias";

    public static readonly IReadOnlyList<string> Names = [StreamsByType, KnowledgeByClient, KnowledgeByAlias];

    public static IEnumerable<string> Statements(string schema)
    {
        var types = string.Join(", ", AccessEventLog.KnowledgeSessionEventTypes.Select(t => $"'{t}'"));
        yield return $"create index if not exists {StreamsByType} on {schema}.mt_streams (tenant_id, type)";
        yield return $"create index if not exists {KnowledgeByClient} on {schema}.mt_events (tenant_id, (data ->> 'clientId')) where type in ({types})";
        yield return $"create index if not exists {KnowledgeByAlias} on {schema}.mt_events (tenant_id, (data ->> 'viewerAlias')) where type in ({types})";
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var statement in Statements(options.Value.DatabaseSchema))
        {
            try
            {
                await using var command = database.CreateCommand(statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another API process starting at the same moment created it first ("if not exists" is not atomic).
            }
        }

        logger.LogDebug("Access review indexes are in place.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
