using System.Threading.Channels;
using Npgsql;

namespace Control.Api.Features.Audit.Export;

/// <summary>How an export reads its query: in chunks, all in one snapshot, so that the first rows leave at once.</summary>
internal static class ExportChunks
{
    /// <summary>Rows of an export's first chunk: few, so the first bytes leave at once.</summary>
    private const int FirstChunkRows = 1_000;

    /// <summary>
    /// The events export's chunks, read and formatted <paramref name="parallel"/> at a time, each on its own connection in
    /// one shared snapshot, and written to the response in order. Reading a row costs the database about as much as
    /// formatting it costs here, and one connection keeps one core of the database busy: side by side, the next chunks
    /// are read while the current one is sent. The chunk bounds come first, from the organization's indexes alone
    /// (<paramref name="chunkStart"/>: the lowest sequence number of the next chunk below a bound), so chunks never
    /// overlap or leave a gap. The first chunk is small, so the first rows go out at once; a chunk is held in memory
    /// until its turn (a few megabytes each).
    /// </summary>
    public static async Task InChunksSideBySide(
        NpgsqlDataSource database, int size, int parallel,
        Func<NpgsqlConnection, long?, int, Task<long?>> chunkStart,
        Func<NpgsqlConnection, long, long?, NpgsqlCommand> chunk,
        Func<NpgsqlDataReader, ExportWriter, CancellationToken, Task> rows,
        ExportWriter output, CancellationToken aborted)
    {
        await using var connection = await database.OpenConnectionAsync(aborted);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, aborted);
        var id = await SharedSnapshot.Export(connection, aborted);
        // Cancelled when this ends, normally or not: after a failure the chunks still being read stop at once.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var readers = Channel.CreateUnbounded<NpgsqlConnection>();
        var opened = new List<NpgsqlConnection>();
        var pending = new Queue<Task<ExportWriter>>();
        parallel = Math.Max(1, parallel);
        try
        {
            for (var i = 0; i < parallel; i++)
            {
                var reader = await SharedSnapshot.Join(database, id, aborted);
                opened.Add(reader);
                readers.Writer.TryWrite(reader);
            }

            async Task<ExportWriter> Read(long from, long? before)
            {
                var reader = await readers.Reader.ReadAsync(stop.Token);
                try
                {
                    var buffered = ExportWriter.Buffered();
                    await using var command = chunk(reader, from, before);
                    command.CommandTimeout = 0;
                    await using var result = await command.ExecuteReaderAsync(stop.Token);
                    await rows(result, buffered, stop.Token);
                    return buffered;
                }
                finally
                {
                    readers.Writer.TryWrite(reader);
                }
            }

            long? bound = null;
            var more = true;
            var next = Math.Min(size, FirstChunkRows);
            while (true)
            {
                while (more && pending.Count < parallel)
                {
                    if (await chunkStart(connection, bound, next) is not { } from)
                    {
                        more = false;
                        break;
                    }

                    var before = bound;
                    pending.Enqueue(Task.Run(() => Read(from, before), stop.Token));
                    bound = from;
                    next = size;
                }

                if (pending.Count == 0)
                {
                    return;
                }

                await output.Append(await pending.Dequeue(), aborted);
            }
        }
        finally
        {
            // A failure or an abort midway: the other chunks stop too, before their connections go back to the pool.
            await stop.CancelAsync();
            foreach (var task in pending)
            {
                try
                {
                    await task;
                }
                catch (Exception)
                {
                    // Already failing: the first error is the one that counts.
                }
            }

            foreach (var reader in opened)
            {
                await reader.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Runs the export's query in chunks of up to <paramref name="size"/> rows, each after the last row of the one before
    /// (the callback moves the cursor; the chunk function answers null when nothing is left), all in one snapshot. Through the pages' plan (newest first from the organization's
    /// index), the first row goes out at once; one unbounded query would be planned as a sort of every matching row first.
    /// </summary>
    public static async Task InChunks(
        NpgsqlDataSource database, int size, Func<NpgsqlConnection, Task<NpgsqlCommand?>> chunk, Func<NpgsqlDataReader, Task> row, CancellationToken aborted)
    {
        await using var connection = await database.OpenConnectionAsync(aborted);
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, aborted);
        for (var rows = size; rows == size;)
        {
            rows = 0;
            await using var command = await chunk(connection);
            if (command is null)
            {
                return;
            }

            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(aborted);
            while (await reader.ReadAsync(aborted))
            {
                rows++;
                await row(reader);
            }
        }
    }
}
