using Control.Api.Hosting;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Infrastructure;

/// <summary>
/// Indexes on Marten's own event tables (<c>mt_events</c>, <c>mt_streams</c>) that the audit queries and the access review
/// as of a time need. Marten's schema configuration cannot declare indexes there, so they are created here, idempotently,
/// once Marten has created the tables; <see cref="Names"/> go to <c>Events.IgnoreIndex</c> so that Marten's migration keeps
/// them instead of dropping (and this service rebuilding) them at every start.
/// </summary>
public sealed class EventTableIndexes(IDocumentStore store, NpgsqlDataSource database, IOptions<ControlOptions> options, ILogger<EventTableIndexes> logger)
    : IHostedService
{
    private static IEnumerable<(string Name, Func<string, string> Statement)> All =>
        Features.Audit.AuditIndexes.Definitions.Concat(Features.Access.AccessEventIndexes.Definitions);

    public static IEnumerable<string> Names => All.Select(i => i.Name);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), cancellationToken);
        var schema = options.Value.DatabaseSchema;
        foreach (var (name, statement) in All)
        {
            await using var command = database.CreateCommand(statement(schema));
            command.CommandTimeout = 0;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
            {
                // Another API process starting at the same moment created it first ("if not exists" is not atomic).
                logger.LogDebug("Index {Index} was created concurrently by another process", name);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
