using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using Control.Api.Features.Audit.Export;
using Control.Api.Hosting;
using Control.Domain.Contracts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Control.Api.Features.Audit.Chain;

/// <summary>
/// Recomputes one organization's chain from what mt_events holds now. Each entry is checked against the stored hash
/// of the entry before it: hash(stored previous, n, content) must equal the stored hash, and the entry numbers must
/// run 1..head without a gap. That holds for every entry exactly when the chain recomputed from the start matches, so
/// ranges of entries can be checked side by side, each on its own connection in one shared snapshot: the work is
/// the database turning each row's JSON into text, which then runs on every core. The row's content is encoded here
/// (<see cref="AuditChainContent"/>). Only a broken link costs more: then the stored per-field digests say which fields
/// changed, and the event id says whether the row now belongs to another entry (rows swapped or reordered).
/// </summary>
public sealed class AuditChainVerifier(NpgsqlDataSource database, IOptions<ControlOptions> options)
{
    private const int Prefix = AuditChainHash.HashLength + sizeof(long);

    public async Task<AuditChainVerification> Verify(string organization, long? anchorEntry, byte[]? anchorHash, CancellationToken cancellation)
    {
        var started = Stopwatch.GetTimestamp();
        var schema = options.Value.DatabaseSchema;
        await using var connection = await database.OpenConnectionAsync(cancellation);

        // One snapshot for the chain, its head and the unchained rows, so appends during the check are not "inserted".
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellation);
        var last = await Scalar<long?>(connection, $"select max(n) from {schema}.{AuditChainSchema.ChainTable} where tenant_id = $1", cancellation, organization) ?? 0;
        var parts = (int)Math.Clamp(last / Math.Max(1, options.Value.AuditVerifyRangeEntries), 1, Math.Min(Environment.ProcessorCount, 8));
        var snapshot = parts > 1 ? await SharedSnapshot.Export(connection, cancellation) : null;
        var ranges = Enumerable.Range(0, parts).Select(i => (From: 1 + (last * i / parts), To: last * (i + 1) / parts)).ToArray();
        var checks = await Task.WhenAll(ranges.Select((range, i) => i == 0
            ? Check(connection, schema, organization, range.From, range.To, anchorEntry, cancellation)
            : CheckInSnapshot(snapshot!, schema, organization, range.From, range.To, anchorEntry, cancellation)));

        var first = checks.FirstOrDefault(c => c.Problem is not null);
        var entries = first?.Problem!.Value.Entry - 1 ?? last;
        AuditChainBreak? broken = null;
        if (first?.Problem is { } problem)
        {
            broken = problem switch
            {
                { MissingTo: { } to } => Missing(problem.Entry, to),
                { Content: { } edited } => await Mismatch(connection, schema, organization, problem.Entry, edited, cancellation),
                _ => await Describe(connection, schema, organization, problem.Entry, AuditChainProblems.Deleted, [], null, cancellation),
            };
        }

        broken ??= await Unchained(connection, schema, organization, entries, cancellation);
        AuditAnchorCheck? anchor = null;
        if (anchorEntry is { } wanted)
        {
            var computed = checks.Select(c => c.AnchorComputed).FirstOrDefault(h => h is not null);
            anchor = computed is not null && wanted <= entries
                ? AnchorCheck(wanted, anchorHash!, computed)
                : new AuditAnchorCheck(wanted, Convert.ToHexStringLower(anchorHash!), false, broken is null
                    ? $"the chain has {entries} entries, fewer than the anchored entry {wanted}: entries were deleted and the chain rewritten"
                    : $"the chain breaks before the anchored entry {wanted}");
        }

        await transaction.CommitAsync(cancellation);
        var intact = broken is null && anchor?.Matches != false;
        var head = broken is null ? checks[^1].Head : null;
        return new AuditChainVerification(organization, intact, entries, head, broken, anchor, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>The first problem in a range: entries missing (MissingTo set), a row deleted (no content) or not matching.</summary>
    private readonly record struct RangeProblem(long Entry, long? MissingTo, byte[]? Content);

    private sealed record RangeCheck(RangeProblem? Problem, byte[]? AnchorComputed, string? Head);

    private async Task<RangeCheck> CheckInSnapshot(
        string snapshot, string schema, string organization, long from, long to, long? anchorEntry, CancellationToken cancellation)
    {
        await using var connection = await SharedSnapshot.Join(database, snapshot, cancellation);
        return await Check(connection, schema, organization, from, to, anchorEntry, cancellation);
    }

    private static async Task<RangeCheck> Check(
        NpgsqlConnection connection, string schema, string organization, long from, long to, long? anchorEntry, CancellationToken cancellation)
    {
        var content = new AuditChainContent { Prefix = Prefix };
        var stored = new byte[AuditChainHash.HashLength];
        var computed = new byte[AuditChainHash.HashLength];
        if (from > 1)
        {
            (await Scalar<byte[]?>(connection, $"select hash from {schema}.{AuditChainSchema.ChainTable} where tenant_id = $1 and n = $2",
                cancellation, organization, from - 1))?.CopyTo(content.Buffer, 0);
        }

        byte[]? anchor = null;
        var expected = from;

        // Entry by entry through the chain's key, each event row found by its sequence number: no sort of wide rows.
        // "offset 0" keeps the planner from flattening the lookup into a join that sorts; no JIT for a plan this simple.
        await using (var settings = new NpgsqlCommand("set local jit = off", connection))
        {
            await settings.ExecuteNonQueryAsync(cancellation);
        }

        await using var command = new NpgsqlCommand(
            $"""
            select c.n, c.hash, {AuditChainHash.Columns}
            from {schema}.{AuditChainSchema.ChainTable} c
                left join lateral (select * from {schema}.mt_events x where x.seq_id = c.seq_id offset 0) e on true
            where c.tenant_id = $1 and c.n between $2 and $3 order by c.n
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = organization });
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = to });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var n = reader.GetInt64(0);
            if (n != expected)
            {
                return new RangeCheck(new RangeProblem(expected, n - 1, null), anchor, null);
            }

            if (reader.IsDBNull(2))
            {
                return new RangeCheck(new RangeProblem(n, null, null), anchor, null);
            }

            BinaryPrimitives.WriteInt64BigEndian(content.Buffer.AsSpan(AuditChainHash.HashLength), n);
            content.Encode(reader, 2);
            SHA256.HashData(content.Written, computed);
            reader.GetBytes(1, 0, stored, 0, stored.Length);
            if (!computed.AsSpan().SequenceEqual(stored))
            {
                return new RangeCheck(new RangeProblem(n, null, content.Content.ToArray()), anchor, null);
            }

            if (n == anchorEntry)
            {
                anchor = (byte[])computed.Clone();
            }

            stored.CopyTo(content.Buffer, 0);
            expected = n + 1;
        }

        return expected <= to
            ? new RangeCheck(new RangeProblem(expected, to, null), anchor, null)
            : new RangeCheck(null, anchor, expected == 1 ? null : Convert.ToHexStringLower(content.Buffer.AsSpan(0, AuditChainHash.HashLength)));
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
        Span<byte> digest = stackalloc byte[AuditChainHash.HashLength];
        var at = 0;
        for (var i = 0; i < AuditChainHash.Fields.Length && at + 4 <= content.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(content.AsSpan(at));
            var encoded = content.AsSpan(at, 4 + Math.Max(length, 0));
            if (i == 1 && length == 16)
            {
                eventId = new Guid(encoded[4..], bigEndian: true);
            }

            SHA256.HashData(encoded, digest);
            if (!digest[..AuditChainHash.DigestLength].SequenceEqual(digests.AsSpan(i * AuditChainHash.DigestLength, AuditChainHash.DigestLength)))
            {
                edited.Add(AuditChainHash.Fields[i].Name);
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

    /// <summary>
    /// The first event row of the organization that no chain entry covers. Every one of the <paramref name="chained"/>
    /// entries was just matched to its own row (the row's sequence number and tenant are part of what it hashes), so
    /// there is one exactly when the organization has more rows than that: a count from its index answers the usual
    /// case, and only then is the row looked for (an anti-join over every event, which cost more than the whole check).
    /// </summary>
    private static async Task<AuditChainBreak?> Unchained(
        NpgsqlConnection connection, string schema, string organization, long chained, CancellationToken cancellation)
    {
        if (await Scalar<long>(connection, $"select count(*) from {schema}.mt_events where tenant_id = $1", cancellation, organization) == chained)
        {
            return null;
        }

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
