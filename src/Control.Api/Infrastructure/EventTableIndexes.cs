using Control.Api.Hosting;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Infrastructure;

/// <summary>
/// Indexes on Marten's own event tables (<c>mt_events</c>, <c>mt_streams</c>) that the audit queries and the access review
/// as of a time need. Marten's schema configuration cannot declare indexes there, so they are created here once Marten has
/// created the tables; <see cref="Names"/> go to <c>Events.IgnoreIndex</c> so that Marten's migration keeps them instead of
/// dropping (and this service rebuilding) them at every start. They are built in the background and CONCURRENTLY: on an
/// existing large database (an upgrade) the API serves at once and appends never wait for a build; the queries work
/// without them meanwhile, only slower. A build that was interrupted leaves an invalid index, which is dropped and rebuilt.
/// </summary>
public sealed class EventTableIndexes(IDocumentStore store, NpgsqlDataSource database, IOptions<ControlOptions> options, ILogger<EventTableIndexes> logger)
    : BackgroundService
{
    private static IEnumerable<(string Name, Func<string, string> On)> All =>
        Features.Audit.History.AuditIndexes.Definitions.Concat(Features.Access.AccessEventIndexes.Definitions);

    public static IEnumerable<string> Names => All.Select(i => i.Name);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), stoppingToken);
            var schema = options.Value.DatabaseSchema;
            foreach (var (name, on) in All)
            {
                await Build(schema, name, on(schema), stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped mid-build: the next start finds the invalid index and builds it again.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Building the event table indexes failed; audit queries stay correct but slow until the next start builds them");
        }
    }

    private async Task Build(string schema, string name, string on, CancellationToken cancellation)
    {
        await using (var state = database.CreateCommand(
            "select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2"))
        {
            state.Parameters.Add(new NpgsqlParameter { Value = schema });
            state.Parameters.Add(new NpgsqlParameter { Value = name });
            switch (await state.ExecuteScalarAsync(cancellation))
            {
                case true:
                    return;
                case false:
                    logger.LogWarning("Index {Index} was left invalid by an interrupted build; rebuilding it", name);
                    await Execute($"drop index concurrently if exists {schema}.{name}", cancellation);
                    break;
            }
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await Execute($"create index concurrently if not exists {name} {on}", cancellation);
            logger.LogInformation("Built index {Index} in {Seconds:F1} s", name, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Another API process starting at the same moment created it first ("if not exists" is not atomic).
            logger.LogDebug("Index {Index} was created concurrently by another process", name);
        }
    }

    private async Task Execute(string sql, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
