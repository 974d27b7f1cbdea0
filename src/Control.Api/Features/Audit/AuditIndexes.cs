using Control.Api.Hosting;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Audit;

/// <summary>
/// Indexes on <c>mt_events</c> that keep a filtered change-log page an index range scan (newest first within one
/// organization, by actor, type, correlation or time). Marten's schema configuration cannot declare indexes on its event
/// table, so they are created here, idempotently, once Marten has created the table; Marten is told to leave them alone
/// (<see cref="Names"/> go to <c>Events.IgnoreIndex</c>).
/// </summary>
public sealed class AuditIndexes(IDocumentStore store, NpgsqlDataSource database, IOptions<ControlOptions> options, ILogger<AuditIndexes> logger) : IHostedService
{
    private static readonly (string Name, string Columns)[] Indexes =
    [
        ("ix_mt_events_tenant_seq", "tenant_id, seq_id"),
        ("ix_mt_events_tenant_user_seq", "tenant_id, user_name, seq_id"),
        ("ix_mt_events_tenant_type_seq", "tenant_id, type, seq_id"),
        ("ix_mt_events_tenant_correlation_seq", "tenant_id, correlation_id, seq_id"),
        ("ix_mt_events_tenant_timestamp", "tenant_id, timestamp"),
    ];

    public static IEnumerable<string> Names => Indexes.Select(i => i.Name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), cancellationToken);
        var schema = options.Value.DatabaseSchema;
        foreach (var (name, columns) in Indexes)
        {
            await using var command = database.CreateCommand($"create index if not exists {name} on {schema}.mt_events ({columns})");
            command.CommandTimeout = 0;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another API process created it at the same moment.
                logger.LogDebug("Index {Index} was created concurrently by another process", name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
