using System.Diagnostics;
using System.IO.Compression;
using Npgsql;

namespace Control.Api.Tests.Support;

/// <summary>pg_dump and psql of the cluster's own PostgreSQL, for tests that keep or load a whole database.</summary>
public static class PostgresTools
{
    /// <summary>Writes the database (schema and rows, without owners or grants) as gzip-compressed SQL.</summary>
    public static async Task Dump(string connectionString, string gzipFile)
    {
        var plain = gzipFile + ".sql";
        await Run("pg_dump", connectionString, "--no-owner", "--no-privileges", "--file", plain);
        await using (var source = File.OpenRead(plain))
        await using (var target = new GZipStream(File.Create(gzipFile), CompressionLevel.SmallestSize))
        {
            await source.CopyToAsync(target);
        }

        File.Delete(plain);
    }

    /// <summary>Loads a dump written by <see cref="Dump"/> into an empty database; any error stops it.</summary>
    public static async Task Restore(string connectionString, string gzipFile)
    {
        var plain = Path.Combine(Path.GetTempPath(), $"control-restore-{Guid.NewGuid():N}.sql");
        try
        {
            await using (var source = new GZipStream(File.OpenRead(gzipFile), CompressionMode.Decompress))
            await using (var target = File.Create(plain))
            {
                await source.CopyToAsync(target);
            }

            await Run("psql", connectionString, "--quiet", "--no-psqlrc", "--set", "ON_ERROR_STOP=1", "--file", plain);
        }
        finally
        {
            File.Delete(plain);
        }
    }

    private static async Task Run(string program, string connectionString, params string[] arguments)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Binary(program)) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["--host", connection.Host!, "--port", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--username", connection.Username!, "--dbname", connection.Database!, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PGPASSWORD"] = connection.Password;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"{program} failed with {process.ExitCode}: {await errors}{await output}");
    }

    // The newest installed PostgreSQL, as ops/lib.sh picks it (its binaries are not on PATH on Debian).
    private static string Binary(string program) =>
        Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin", program))
            .Where(File.Exists)
            .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0)
            .FirstOrDefault() ?? throw new InvalidOperationException($"{program} not found under /usr/lib/postgresql/*/bin");
}
