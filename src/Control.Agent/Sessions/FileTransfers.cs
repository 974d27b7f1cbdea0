using System.Security.Cryptography;

namespace Control.Agent.Sessions;

/// <summary>
/// The agent's side of <c>control cp</c>. An upload goes to a temporary file beside its target and replaces the target
/// only after every byte arrived and the SHA-256 matches the viewer's, so a cut connection or a full disk never leaves
/// a half-written file in place. Errors are phrased for the technician: missing folder, no space left, permission.
/// </summary>
internal sealed class FileUpload : IDisposable
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly string _temporary;
    private bool _completed;

    private FileUpload(string target, string temporary, FileStream file, long size)
    {
        Target = target;
        _temporary = temporary;
        _file = file;
        Size = size;
    }

    public string Target { get; }

    public long Size { get; }

    public long Received { get; private set; }

    /// <summary>Opens the upload, or returns why it cannot be done.</summary>
    public static (FileUpload? Upload, string? Problem) Open(string path, long size, string home)
    {
        if (size < 0)
        {
            return (null, "the size is negative");
        }

        var target = Resolve(path, home);
        if (target is null)
        {
            return (null, $"'{path}' is not a usable file path");
        }

        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
        {
            return (null, $"the folder {folder} does not exist on the client");
        }

        if (Directory.Exists(target))
        {
            return (null, $"{target} is a folder on the client; name the file");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.control-upload-{Guid.NewGuid():N}");
        try
        {
            var file = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                PreallocationSize = 0,
                BufferSize = 0,
            });
            return (new FileUpload(target, temporary, file, size), null);
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"the agent may not write in {folder}");
        }
        catch (IOException e)
        {
            return (null, Describe(e, folder));
        }
    }

    /// <summary>Writes the next chunk; returns the problem when it cannot (more bytes than announced, a full disk).</summary>
    public async Task<string?> WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation)
    {
        if (Received + data.Length > Size)
        {
            return "more bytes arrived than were announced";
        }

        try
        {
            await _file.WriteAsync(data, cancellation);
        }
        catch (IOException e)
        {
            return Describe(e, Path.GetDirectoryName(Target)!);
        }

        _hash.AppendData(data.Span);
        Received += data.Length;
        return null;
    }

    /// <summary>Verifies and puts the file in place: its SHA-256, or the problem.</summary>
    public (string? Sha256, string? Problem) Complete(string declaredSha256)
    {
        if (Received != Size)
        {
            return (null, $"{Received} of {Size} bytes arrived");
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(declaredSha256.ToLowerInvariant())))
        {
            return (null, $"the SHA-256 of what arrived ({actual}) is not the viewer's ({declaredSha256}); nothing was written");
        }

        try
        {
            _file.Flush(flushToDisk: true);
            _file.Dispose();
            File.Move(_temporary, Target, overwrite: true);
            _completed = true;
            return (actual, null);
        }
        catch (IOException e)
        {
            return (null, Describe(e, Path.GetDirectoryName(Target)!));
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"the agent may not replace {Target}");
        }
    }

    public void Dispose()
    {
        _file.Dispose();
        _hash.Dispose();
        if (!_completed)
        {
            File.Delete(_temporary);
        }
    }

    /// <summary>An absolute path, or one relative to the agent user's home; null when unusable.</summary>
    public static string? Resolve(string path, string home)
    {
        if (string.IsNullOrWhiteSpace(path) || path.Contains('\0', StringComparison.Ordinal) || path.Length > 4096)
        {
            return null;
        }

        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(home, path.Length > 2 ? path[2..] : "");
        }

        return Path.GetFullPath(path, home);
    }

    public static string Describe(IOException e, string folder) => e.HResult switch
    {
        28 => $"no space left on the client's disk (in {folder})",
        122 => $"disk quota exceeded on the client (in {folder})",
        _ => e.Message,
    };
}
