using System.Diagnostics;
using System.Security.Cryptography;

namespace Control.Agent.Sessions;

/// <summary>
/// The agent's side of <c>control cp</c> to the client, with the login's rights (<see cref="LoginFiles"/>). An upload
/// goes to a temporary file beside its target and replaces the target only after every byte arrived and the SHA-256
/// matches the viewer's, so a cut connection or a full disk never leaves a half-written file in place. Errors are
/// phrased for the technician: missing folder, no space left, permission.
/// </summary>
internal sealed class FileUpload : IAsyncDisposable
{
    private readonly LoginFiles _files;
    private readonly Process _writer;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly string _temporary;
    private bool _completed;

    private FileUpload(LoginFiles files, string target, string temporary, Process writer, long size)
    {
        _files = files;
        Target = target;
        _temporary = temporary;
        _writer = writer;
        Size = size;
    }

    public string Target { get; }

    public long Size { get; }

    public long Received { get; private set; }

    private string Folder => Path.GetDirectoryName(Target)!;

    /// <summary>Opens the upload, or returns why it cannot be done.</summary>
    public static async Task<(FileUpload? Upload, string? Problem)> OpenAsync(LoginFiles files, string? path, long size, CancellationToken cancellation)
    {
        if (size < 0)
        {
            return (null, "the size is negative");
        }

        var target = files.Resolve(path);
        if (target is null)
        {
            return (null, $"'{path}' is not a usable file path");
        }

        var folder = Path.GetDirectoryName(target)!;
        if ((await files.StatAsync(target, cancellation)).Kind == "directory")
        {
            return (null, $"{target} is a folder on the client; name the file");
        }

        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.control-upload-{Guid.NewGuid():N}");
        if (await files.CreateExclusiveAsync(temporary, cancellation) is { } error)
        {
            return (null, Describe(error, folder, files.Account.Name));
        }

        return (new FileUpload(files, target, temporary, files.StartWriting(temporary), size), null);
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
            await _writer.StandardInput.BaseStream.WriteAsync(data, cancellation);
        }
        catch (IOException)
        {
            // The writer ended early (no space, quota): its own words say why.
            return Describe(await WriterErrorAsync(cancellation) ?? "the writer ended early", Folder, _files.Account.Name);
        }

        _hash.AppendData(data.Span);
        Received += data.Length;
        return null;
    }

    /// <summary>Verifies and puts the file in place: its SHA-256, or the problem.</summary>
    public async Task<(string? Sha256, string? Problem)> CompleteAsync(string declaredSha256, CancellationToken cancellation)
    {
        if (Received != Size)
        {
            return (null, $"{Received} of {Size} bytes arrived");
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (!Control.Domain.Common.Secrets.HashesEqual(actual, declaredSha256.ToLowerInvariant()))
        {
            return (null, $"the SHA-256 of what arrived ({actual}) is not the viewer's ({declaredSha256}); nothing was written");
        }

        string? error;
        try
        {
            await _writer.StandardInput.BaseStream.FlushAsync(cancellation);
            _writer.StandardInput.Close();
            error = await WriterErrorAsync(cancellation);
        }
        catch (IOException)
        {
            error = await WriterErrorAsync(cancellation);
        }

        error ??= await _files.ReplaceAsync(_temporary, Target, cancellation);
        if (error is not null)
        {
            return (null, Describe(error, Folder, _files.Account.Name));
        }

        _completed = true;
        return (actual, null);
    }

    public async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        if (!_writer.HasExited)
        {
            _writer.Kill();
        }

        _writer.Dispose();
        if (!_completed)
        {
            await _files.DeleteAsync(_temporary, CancellationToken.None);
        }
    }

    /// <summary>The writer's error once it has ended, or null when it ended well.</summary>
    private async Task<string?> WriterErrorAsync(CancellationToken cancellation)
    {
        var error = await _writer.StandardError.ReadToEndAsync(cancellation);
        await _writer.WaitForExitAsync(cancellation);
        return _writer.ExitCode == 0 ? null : error;
    }

    /// <summary>A coreutils error in the technician's words.</summary>
    public static string Describe(string error, string folder, string login) => LoginFiles.Reason(error) switch
    {
        "No such file or directory" or "Not a directory" => $"the folder {folder} does not exist on the client",
        "Permission denied" or "Operation not permitted" or "Read-only file system" => $"the login {login} may not write in {folder}",
        "No space left on device" => $"no space left on the client's disk (in {folder})",
        "Disk quota exceeded" => $"disk quota exceeded on the client (in {folder})",
        var other => other,
    };
}
