using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Control.Api.Hosting;
using Control.Domain.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Audit;

/// <summary>
/// Recomputes one organization's chain from what mt_events holds now: one query ordered by entry number, streamed,
/// each row hashed into a reused buffer (previous hash, entry number, content), compared with the stored hash. Only a
/// broken link costs more: then the stored per-field digests say which fields changed, and the event id says whether
/// the row now belongs to another entry (rows swapped or reordered).
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource database, IOptions<ControlOptions> options)
{
    private const int Prefix = AuditChainSchema.HashLength + sizeof(long);

    public async Task<AuditChainVerification> Verify(string organization, long? anchorEntry, byte[]? anchorHash, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var schema = options.Value.DatabaseSchema;
        await using var connection = await database.OpenConnectionAsync(cancellation);

        // One snapshot for the chain, its head and the unchained rows, so appends during the check are not "inserted".
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        var buffer = new byte[Prefix + 4096];
        var stored = new byte[AuditChainSchema.HashLength];
        var computed = new byte[AuditChainSchema.HashLength];
        long entries = 0;
        AuditChainBreak? broken = null;
        AuditAnchorCheck? anchor = null;
        (long Entry, byte[]? Content)? failed = null;

        await using (var command = new NpgsqlCommand(
            $"""
            select c.n, c.hash, case when e.seq_id is null then null else {AuditChainSchema.Content(schema)} end
            from {schema}.{AuditChainSchema.ChainTable} c left join {schema}.mt_events e on e.seq_id = c.seq_id
            where c.tenant_id = $1 order by c.n
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = organization });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var n = reader.GetInt64(0);
                if (n != entries + 1)
                {
                    broken = Missing(entries + 1, n - 1);
                    break;
                }

                reader.GetBytes(1, 0, stored, 0, stored.Length);
                if (reader.IsDBNull(2))
                {
                    failed = (n, null);
                    break;
                }

                var length = (int)reader.GetBytes(2, 0, null, 0, 0);
                if (buffer.Length < Prefix + length)
                {
                    var larger = new byte[Math.Max(Prefix + length, buffer.Length * 2)];
                    buffer.AsSpan(0, AuditChainSchema.HashLength).CopyTo(larger);
                    buffer = larger;
                }

                reader.GetBytes(2, 0, buffer, Prefix, length);
                BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(AuditChainSchema.HashLength), n);
                SHA256.HashData(buffer.AsSpan(0, Prefix + length), computed);
                if (!computed.AsSpan().SequenceEqual(stored))
                {
                    failed = (n, buffer.AsSpan(Prefix, length).ToArray());
                    break;
                }

                if (n == anchorEntry)
                {
                    anchor = AnchorCheck(n, anchorHash!, computed);
                }

                computed.CopyTo(buffer, 0);
                entries = n;
            }
        }

        // The reader is closed: the diagnosis may query again on this connection.
        if (failed is { } failure)
        {
            broken = failure.Content is { } content
                ? await Mismatch(connection, schema, organization, failure.Entry, content, cancellation)
                : await Describe(connection, schema, organization, failure.Entry, AuditChainProblems.Deleted, [], null, cancellation);
        }

        var head = entries == 0 ? null : Convert.ToHexStringLower(buffer.AsSpan(0, AuditChainSchema.HashLength));
        broken ??= await Unchained(connection, schema, organization, cancellation);
        if (anchorEntry is { } wanted && anchor is null)
        {
            anchor = new AuditAnchorCheck(wanted, Convert.ToHexStringLower(anchorHash!), false, broken is null
                ? $"the chain has {entries} entries, fewer than the anchored entry {wanted}: entries were deleted and the chain rewritten"
                : $"the chain breaks before the anchored entry {wanted}");
        }

        await transaction.CommitAsync(cancellation);
        var intact = broken is null && anchor?.Matches != false;
        return new AuditChainVerification(
            organization, intact, entries, broken is null ? head : null, broken, anchor, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static AuditAnchorCheck AnchorCheck(long n, byte[] anchored, byte[] computed) =>
        computed.AsSpan().SequenceEqual(anchored)
            ? new AuditAnchorCheck(n, Convert.ToHexStringLower(anchored), true, $"entry {n} still has the anchored hash")
            : new AuditAnchorCheck(n, Convert.ToHexStringLower(anchored), false,
                $"entry {n} now hashes to {Convert.ToHexStringLower(computed)}, not the anchored hash: the chain up to it was rewritten");

    private static AuditChainBreak Missing(long from, long to) => new(
        from, AuditChainProblems.ChainAltered, [], null, null, null, null, null, null,
        from == to ? $"chain entry {from} is missing: it and its event were removed" : $"chain entries {from} to {to} are missing: they and their events were removed");

    private static async Task<AuditChainBreak> Mismatch(
        NpgsqlConnection connection, string schema, string organization, long n, byte[] content, CancellationToken cancellation)
    {
        var digests = await Scalar<byte[]>(connection, $"select field_digests from {schema}.{AuditChainSchema.ChainTable} where tenant_id = $1 and n = $2",
            cancellation, organization, n);
        var (edited, rowEventId) = EditedFields(content, digests);
        if (edited.Count == 0)
        {
            return await Describe(connection, schema, organization, n, AuditChainProblems.ChainAltered, [], null, cancellation);
        }

        if (edited.Contains("event id") && rowEventId is { } id)
        {
            var other = await Scalar<long?>(connection, $"select n from {schema}.{AuditChainSchema.ChainTable} where tenant_id = $1 and event_id = $2",
                cancellation, organization, id);
            if (other is not null)
            {
                return await Describe(connection, schema, organization, n, AuditChainProblems.Swapped, edited, other, cancellation);
            }
        }

        return await Describe(connection, schema, organization, n, AuditChainProblems.Edited, edited, null, cancellation);
    }

    /// <summary>The fields whose digest differs from the one recorded at append, and the event id the row holds now.</summary>
    private static (List<string> Edited, Guid? EventId) EditedFields(byte[] content, byte[] digests)
    {
        var edited = new List<string>();
        Guid? eventId = null;
        Span<byte> digest = stackalloc byte[AuditChainSchema.HashLength];
        var at = 0;
        for (var i = 0; i < AuditChainSchema.Fields.Length && at + 4 <= content.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(at));
            var encoded = content.AsSpan(at, 4 + Math.Max(length, 0));
            if (i == 1 && length == 16)
            {
                eventId = new Guid(encoded[4..], bigEndian: true);
            }

            SHA256.HashData(encoded, digest);
            if (!digest[..AuditChainSchema.DigestLength].SequenceEqual(digests.AsSpan(i * AuditChainSchema.DigestLength, AuditChainSchema.DigestLength)))
            {
                edited.Add(AuditChainSchema.Fields[i].Name);
            }

            at += encoded.Length;
        }

        return (edited, eventId);
    }

    private static async Task<AuditChainBreak> Describe(
        NpgsqlConnection connection, string schema, string organization, long n, string problem, IReadOnlyList<string> fields, long? other,
        CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select seq_id, event_id, event_type, stream_id, recorded_at from {schema}.{AuditChainSchema.ChainTable} where tenant_id = $1 and n = $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = organization });
        command.Parameters.Add(new NpgsqlParameter { Value = n });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        await reader.ReadAsync(cancellation);
        var sequence = reader.GetInt64(0);
        var type = EventTypeName(reader.GetString(2));
        var what = $"entry {n} (sequence {sequence}, {type}, stream {(reader.IsDBNull(3) ? "-" : reader.GetGuid(3))}, recorded {reader.GetFieldValue<DateTimeOffset>(4):O})";
        var detail = problem switch
        {
            AuditChainProblems.Deleted => $"{what}: its event row was deleted",
            AuditChainProblems.Swapped => $"{what}: its row now holds the event of entry {other} (rows swapped or reordered); fields that differ: {string.Join(", ", fields)}",
            AuditChainProblems.Edited => $"{what}: edited in the database; fields that differ: {string.Join(", ", fields)}",
            _ => $"{what}: the chain's stored hash was altered",
        };
        return new AuditChainBreak(
            n, problem, fields, sequence, reader.GetGuid(1), type, reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4), other, detail);
    }

    private static async Task<AuditChainBreak?> Unchained(NpgsqlConnection connection, string schema, string organization, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
            select e.seq_id, e.id, e.type, e.stream_id, e.timestamp,
                (select max(c.n) from {schema}.{AuditChainSchema.ChainTable} c where c.tenant_id = $1 and c.seq_id < e.seq_id)
            from {schema}.mt_events e
            where e.tenant_id = $1 and not exists (select 1 from {schema}.{AuditChainSchema.ChainTable} c where c.seq_id = e.seq_id and c.tenant_id = $1)
            order by e.seq_id limit 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = organization });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation))
        {
            return null;
        }

        var after = reader.IsDBNull(5) ? 0 : reader.GetInt64(5);
        var type = EventTypeName(reader.GetString(2));
        return new AuditChainBreak(after + 1, AuditChainProblems.Inserted, [], reader.GetInt64(0), reader.GetGuid(1), type,
            reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetFieldValue<DateTimeOffset>(4), null,
            $"an event row that is not in the chain (sequence {reader.GetInt64(0)}, {type}, after entry {after}): inserted outside the chain, or moved from another organization");
    }

    /// <summary>Marten's alias <c>operator_disabled</c> as the audit trail names it, <c>OperatorDisabled</c>.</summary>
    private static string EventTypeName(string alias) =>
        string.Concat(alias.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken cancellation, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync(cancellation);
        return result is null or DBNull ? default! : (T)result;
    }
}
