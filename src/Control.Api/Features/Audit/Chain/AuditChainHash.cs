using System.Globalization;

namespace Control.Api.Features.Audit.Chain;

/// <summary>
/// The audit chain's hash: entry n of an organization's chain is
/// <c>SHA-256(hash of entry n-1 || int8send(n) || content)</c>, the hash of entry 0 being 32 zero bytes, where the content
/// is every field of the mt_events row (<see cref="Fields"/>) encoded as a 4-byte big-endian length then its bytes; a
/// 4-byte digest of each encoded field is kept beside the hash so verify can say which field changed. PostgreSQL computes
/// it in the trigger's functions (<see cref="Functions"/>, installed by <see cref="AuditChainSchema"/>); verify computes it
/// again from the same fields (<see cref="AuditChainContent"/>, <see cref="AuditChainVerifier"/>).
/// </summary>
public static class AuditChainHash
{
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

    /// <summary>SQL: the functions that encode a row's fields and append its entry with the hash above.</summary>
    public static string Functions(string schema)
    {
        var field = (AuditChainField f) => $"{schema}.control_audit_field({f.Expression})";
        return $"""
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
                perform 1 from {schema}.{AuditChainSchema.LockTable} where tenant_id = e.tenant_id for update;
                if not found then
                    insert into {schema}.{AuditChainSchema.LockTable} (tenant_id) values (e.tenant_id) on conflict (tenant_id) do nothing;
                    perform 1 from {schema}.{AuditChainSchema.LockTable} where tenant_id = e.tenant_id for update;
                end if;
                select n, hash into head_n, head_hash from {schema}.{AuditChainSchema.ChainTable} where tenant_id = e.tenant_id order by n desc limit 1;
                if not found then
                    head_n := 0;
                    head_hash := decode(repeat('00', {HashLength}), 'hex');
                end if;
                foreach part in array {schema}.control_audit_entry_fields(e) loop
                    content := content || part;
                    digests := digests || substring(sha256(part) from 1 for {DigestLength});
                end loop;
                entry_hash := sha256(head_hash || int8send(head_n + 1) || content);
                insert into {schema}.{AuditChainSchema.ChainTable} (tenant_id, n, seq_id, event_id, stream_id, event_type, recorded_at, field_digests, hash)
                    values (e.tenant_id, head_n + 1, e.seq_id, e.id, e.stream_id, e.type, e.timestamp, digests, entry_hash);
            end
            $f$;
            """;
    }
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
