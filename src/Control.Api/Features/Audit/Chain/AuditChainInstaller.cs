using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Control.Api.Hosting;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Audit.Chain;

/// <summary>Applies <see cref="AuditChainSchema"/> at start (several API processes may start at once: an advisory lock orders them).</summary>
public sealed class AuditChainInstaller(IDocumentStore store, NpgsqlDataSource database, IOptions<ControlOptions> options, ILogger<AuditChainInstaller> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(IEvent), cancellationToken);
        var schema = options.Value.DatabaseSchema;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, "select pg_advisory_xact_lock(hashtext('control_audit_chain'))", cancellationToken);

        // Installed as this version already: no DDL at all, so a start needs no rights to create or replace anything.
        var sql = AuditChainSchema.Sql(schema);
        var version = "control-audit-chain " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))[..16];
        await using (var installed = new NpgsqlCommand(
            $"""
            select obj_description(to_regprocedure('{schema}.control_audit_chain_append()'), 'pg_proc'),
                (select count(*) from pg_trigger where tgname = 'control_audit_chain' and tgrelid = to_regclass('{schema}.mt_events'))
            """, connection))
        await using (var reader = await installed.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            if (!reader.IsDBNull(0) && reader.GetString(0) == version && reader.GetInt64(1) == 1)
            {
                return;
            }
        }

        await Execute(connection, sql, cancellationToken);
        await Execute(connection, $"comment on function {schema}.control_audit_chain_append() is '{version}'", cancellationToken);
        await using (var exists = new NpgsqlCommand(
            $"select count(*) from pg_trigger where tgname = 'control_audit_chain' and tgrelid = '{schema}.mt_events'::regclass", connection))
        {
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
            {
                await using var chained = new NpgsqlCommand($"select exists (select 1 from {schema}.{AuditChainSchema.ChainTable})", connection);
                if ((bool)(await chained.ExecuteScalarAsync(cancellationToken))!)
                {
                    // Someone removed the trigger: whatever was appended meanwhile stays unchained, and verify reports it.
                    logger.LogWarning("The audit chain trigger on {Schema}.mt_events was missing and is reinstalled; events appended without it are reported by audit verify.", schema);
                }

                await Execute(connection, AuditChainSchema.Install(schema), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
