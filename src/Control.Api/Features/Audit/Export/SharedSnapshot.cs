using Npgsql;

namespace Control.Api.Features.Audit.Export;

/// <summary>
/// One database snapshot read by several connections at once (<c>pg_export_snapshot</c>): a verify checks ranges of the
/// chain, and an export reads chunks, side by side, all as of the same moment. The exporting transaction must stay open
/// while the others join.
/// </summary>
public static class SharedSnapshot
{
    /// <summary>The snapshot of the repeatable-read transaction open on <paramref name="connection"/>, for <see cref="Join"/>.</summary>
    public static async Task<string> Export(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("select pg_export_snapshot()", connection);
        return (string)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>A connection in a repeatable-read transaction that sees <paramref name="snapshot"/>; disposing it ends the transaction.</summary>
    public static async Task<NpgsqlConnection> Join(NpgsqlDataSource database, string snapshot, CancellationToken cancellation)
    {
        var connection = await database.OpenConnectionAsync(cancellation);
        try
        {
            await using var command = new NpgsqlCommand($"begin isolation level repeatable read; set transaction snapshot '{snapshot}'", connection);
            await command.ExecuteNonQueryAsync(cancellation);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
