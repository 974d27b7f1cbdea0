using System.Text.Json;

namespace Control.Agent.Storage;

/// <summary>Files only the agent's user may read, replaced whole or not at all.</summary>
internal static class PrivateFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes a temporary file in the same folder (0600 from its creation, so the content never sits in a readable
    /// file), flushes it to disk, then renames it over <paramref name="path"/>: a reader, or the agent after a power
    /// cut, sees the old file or the new one, never half of one.
    /// </summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    public static void WriteJson<T>(string path, T value, JsonSerializerOptions options) =>
        WriteAtomically(path, JsonSerializer.SerializeToUtf8Bytes(value, options));

    /// <summary>Reads and parses a JSON file; null when it does not exist, <see cref="JsonException"/> when it is not the expected JSON.</summary>
    public static T? ReadJson<T>(string path, JsonSerializerOptions options)
        where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            throw AgentFailure.Error($"cannot read {path}: permission denied (the agent's state belongs to the user running it; try sudo)");
        }

        return JsonSerializer.Deserialize<T>(bytes, options) ?? throw new JsonException("The file holds JSON null.");
    }

    /// <summary>Whether group or others may access the file (Unix); a private key or credential there has leaked.</summary>
    public static bool IsExposed(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path)
        && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0;
}
