using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Control.Api.Hosting;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Audit;

/// <summary>
/// The tamper-evidence chain: every row Marten inserts into <c>mt_events</c> gets, in the same transaction, an entry
/// in <c>control_audit_chain</c> (per organization: entry number n, the row's sequence and event id, a hash over the
/// previous entry's hash and the row's content, and a 4-byte digest per field so verify can say which field changed).
/// A deferred constraint trigger does it at commit: the per-organization lock row is locked only for the commit, after
/// every other lock the transaction takes (stream rows, unique indexes), so it cannot join a lock cycle, and entries
/// are numbered in commit order (what syslog forwarding relies on to never skip an entry still in flight). The lock row is
/// only locked, never updated: the previous entry is read from the chain's primary key, so a transaction appending many
/// events does not pile up versions of one row (an updated head row made a bulk append quadratic).
/// Installed idempotently at start, after Marten has applied its schema; Marten's own migrations alter mt_events in
/// place and leave the trigger alone (a start reinstalls it if anything removed it).
/// </summary>
public static class AuditChainSchema
{
    public const string ChainTable = "control_audit_chain";
    public const string LockTable = "control_audit_chain_tenants";
    public const int HashLength = 32;
    public const int DigestLength = 4;

    /// <summary>
    /// What each entry covers, in hash order: every column Marten writes at append time except <c>is_archived</c>
    /// (archiving is an UPDATE by design; Control never archives, and an archived flag hides nothing). Each field is
    /// encoded as a 4-byte big-endian length then its bytes (length -1 for NULL); timestamps as microseconds since the
    /// Unix epoch, so the encoding never depends on the session's time zone or date style.
    /// </summary>
    public static readonly AuditChainField[] Fields =
    [
        new("sequence", "seq_id", AuditFieldKind.Int64),
        new("event id", "id", AuditFieldKind.Uuid),
        new("stream", "stream_id", AuditFieldKind.Uuid),
        new("version", "version", AuditFieldKind.Int64),
        new("type", "type", AuditFieldKind.Text),
        new("timestamp", "timestamp", AuditFieldKind.Timestamp),
        new("tenant", "tenant_id", AuditFieldKind.Text),
        new("dotnet type", "mt_dotnet_type", AuditFieldKind.Text),
        new("data", "data::text", AuditFieldKind.Text),
        new("headers", "headers::text", AuditFieldKind.Text),
        new("actor", "user_name", AuditFieldKind.Text),
        new("correlation", "correlation_id", AuditFieldKind.Text),
        new("causation", "causation_id", AuditFieldKind.Text),
    ];

    /// <summary>SQL: the plain columns of the mt_events row <c>e</c> that <see cref="AuditChainContent"/> encodes, in field order.</summary>
    public static string Columns => string.Join(", ", Fields.Select(f => "e." + f.Column));

    public static string Sql(string schema)
    {
        var field = (AuditChainField f) => $"{schema}.control_audit_field({f.Expression})";
        return $"""
            create table if not exists {schema}.{ChainTable} (
                tenant_id varchar not null,
                n bigint not null,
                seq_id bigint not null,
                event_id uuid not null,
                stream_id uuid,
                event_type varchar not null,
                recorded_at timestamptz not null,
                field_digests bytea not null,
                hash bytea not null,
                primary key (tenant_id, n));
            create index if not exists ix_{ChainTable}_seq_id on {schema}.{ChainTable} (seq_id);
            create table if not exists {schema}.{LockTable} (tenant_id varchar primary key);

            create or replace function {schema}.control_audit_field(value bytea) returns bytea language sql immutable as
            $f$ select case when value is null then '\xffffffff'::bytea else int4send(length(value)) || value end $f$;

            create or replace function {schema}.control_audit_entry_fields(e {schema}.mt_events) returns bytea[] language sql stable as
            $f$ select array[{string.Join(", ", Fields.Select(field))}] $f$;

            create or replace function {schema}.control_audit_chain_add(e {schema}.mt_events) returns void language plpgsql as
            $f$
            declare
                head_n bigint;
                head_hash bytea;
                content bytea := ''::bytea;
                digests bytea := ''::bytea;
                part bytea;
                entry_hash bytea;
            begin
                perform 1 from {schema}.{LockTable} where tenant_id = e.tenant_id for update;
                if not found then
                    insert into {schema}.{LockTable} (tenant_id) values (e.tenant_id) on conflict (tenant_id) do nothing;
                    perform 1 from {schema}.{LockTable} where tenant_id = e.tenant_id for update;
                end if;
                select n, hash into head_n, head_hash from {schema}.{ChainTable} where tenant_id = e.tenant_id order by n desc limit 1;
                if not found then
                    head_n := 0;
                    head_hash := decode(repeat('00', {HashLength}), 'hex');
                end if;
                foreach part in array {schema}.control_audit_entry_fields(e) loop
                    content := content || part;
                    digests := digests || substring(sha256(part) from 1 for {DigestLength});
                end loop;
                entry_hash := sha256(head_hash || int8send(head_n + 1) || content);
                insert into {schema}.{ChainTable} (tenant_id, n, seq_id, event_id, stream_id, event_type, recorded_at, field_digests, hash)
                    values (e.tenant_id, head_n + 1, e.seq_id, e.id, e.stream_id, e.type, e.timestamp, digests, entry_hash);
            end
            $f$;

            create or replace function {schema}.control_audit_chain_append() returns trigger language plpgsql as
            $f$ begin perform {schema}.control_audit_chain_add(NEW); return null; end $f$;
            """;
    }

    /// <summary>First install: chain what is already there, in sequence order, with appends held off meanwhile.</summary>
    public static string Install(string schema) => $"""
        lock table {schema}.mt_events in share row exclusive mode;
        do $d$
        declare r {schema}.mt_events;
        begin
            if not exists (select 1 from {schema}.{ChainTable}) then
                for r in select * from {schema}.mt_events order by seq_id loop
                    perform {schema}.control_audit_chain_add(r);
                end loop;
            end if;
        end
        $d$;
        create constraint trigger control_audit_chain after insert on {schema}.mt_events
            deferrable initially deferred for each row execute function {schema}.control_audit_chain_append();
        """;
}

public enum AuditFieldKind
{
    Int64,
    Uuid,
    Text,
    Timestamp,
}

/// <summary>One field of a chain entry: the mt_events column it comes from, and how the trigger encodes it.</summary>
public sealed record AuditChainField(string Name, string Column, AuditFieldKind Kind)
{
    /// <summary>A timestamp as the chain encodes it: microseconds since the Unix epoch (verify's side of the trigger's encoding).</summary>
    public static long UnixMicroseconds(DateTime time) => (time.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>SQL over the row <c>e</c>: the field's bytes as the trigger hashes them.</summary>
    public string Expression => Kind switch
    {
        AuditFieldKind.Int64 => $"int8send(e.{Column})",
        AuditFieldKind.Uuid => $"uuid_send(e.{Column})",
        // Marten's tombstones (the rows that fill the sequence numbers of a failed append) carry -infinity: encoded as the
        // microseconds Npgsql's DateTime.MinValue / MaxValue give, which is how verify reads ±infinity back.
        AuditFieldKind.Timestamp => $"int8send(case e.{Column} when '-infinity' then {Invariant(UnixMicroseconds(DateTime.MinValue))} when 'infinity' then {Invariant(UnixMicroseconds(DateTime.MaxValue))} " +
            $"else (extract(epoch from e.{Column}) * 1000000)::bigint end)",
        _ => $"convert_to(e.{Column}, 'UTF8')",
    };
}

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
