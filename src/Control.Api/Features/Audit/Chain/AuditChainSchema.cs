namespace Control.Api.Features.Audit.Chain;

/// <summary>
/// The tamper-evidence chain: every row Marten inserts into <c>mt_events</c> gets, in the same transaction, an entry
/// in <c>control_audit_chain</c> (per organization: entry number n, the row's sequence and event id, a hash over the
/// previous entry's hash and the row's content, and a 4-byte digest per field so verify can say which field changed;
/// the hash itself is defined in <see cref="AuditChainHash"/>).
/// A deferred constraint trigger does it at commit: the per-organization lock row is locked only for the commit, after
/// every other lock the transaction takes (stream rows, unique indexes), so it cannot join a lock cycle, and entries
/// are numbered in commit order (what syslog forwarding relies on to never skip an entry still in flight). The lock row is
/// only locked, never updated: the previous entry is read from the chain's primary key, so a transaction appending many
/// events does not pile up versions of one row (updating a head row would make a bulk append quadratic).
/// Installed idempotently at start, after Marten has applied its schema; Marten's own migrations alter mt_events in
/// place and leave the trigger alone (a start reinstalls it if anything removed it).
/// </summary>
public static class AuditChainSchema
{
    public const string ChainTable = "control_audit_chain";
    public const string LockTable = "control_audit_chain_tenants";

    public static string Sql(string schema)
    {
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

            {AuditChainHash.Functions(schema)}

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
