using System.Buffers;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>The file transfer channel (control cp): uploads verified before they replace anything, downloads with their SHA-256.</summary>
internal sealed partial class AgentSession
{
    private LoginFiles Files => new(Account, Id);

    private async Task<bool> FileTransferPermittedAsync(string what, CancellationToken cancellation)
    {
        var policy = services.Policy.Current;
        if (policy is not null && SessionAdmission.Permits(policy, SessionChannel.FileTransfer))
        {
            return true;
        }

        services.Log($"session {Id}: {what} refused: file transfer is not permitted by the policy");
        Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", what, "not permitted by the policy", services.Clock.GetUtcNow()));
        await SendAsync(new ChannelRefused("file transfer is not permitted on this client"), cancellation);
        return false;
    }

    private async Task<FileUpload?> StartUploadAsync(FilePut put, CancellationToken cancellation)
    {
        if (!await FileTransferPermittedAsync($"upload to {put.Path}", cancellation))
        {
            return null;
        }

        var (upload, problem) = await FileUpload.OpenAsync(Files, put.Path, put.Size, cancellation);
        if (upload is null)
        {
            services.Log($"session {Id}: upload to {put.Path} refused: {problem}");
            Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"upload to {put.Path}", problem, services.Clock.GetUtcNow()));
            await SendAsync(new ChannelRefused(problem!), cancellation);
            return null;
        }

        lock (_open)
        {
            _open.Add(SessionChannel.FileTransfer);
        }

        services.Log($"session {Id}: upload of {put.Size} bytes to {upload.Target} as {Account.Name}");
        Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"upload of {put.Size} bytes to {upload.Target}", null, services.Clock.GetUtcNow()));
        await SendAsync(new FileReady(), cancellation);
        return upload;
    }

    private async Task FinishUploadAsync(FileUpload upload, FileEnd end, CancellationToken cancellation)
    {
        var (sha256, problem) = await upload.CompleteAsync(end.Sha256 ?? "", cancellation);
        lock (_open)
        {
            _open.Remove(SessionChannel.FileTransfer);
        }

        if (problem is not null)
        {
            await RefuseUploadAsync(upload, problem, cancellation);
            return;
        }

        services.Log($"session {Id}: uploaded {upload.Target} ({upload.Size} bytes, sha256 {sha256})");
        Audit(new SessionFileTransferred(Id, services.ClientId, "upload", upload.Target, upload.Size, sha256!, services.Clock.GetUtcNow()));
        await SendAsync(new FileDone(sha256!), cancellation);
    }

    private async Task RefuseUploadAsync(FileUpload upload, string problem, CancellationToken cancellation)
    {
        lock (_open)
        {
            _open.Remove(SessionChannel.FileTransfer);
        }

        services.Log($"session {Id}: upload to {upload.Target} failed: {problem}");
        await SendAsync(new ChannelRefused(problem), cancellation);
    }

    private async Task DownloadAsync(FileGet get, CancellationToken cancellation)
    {
        if (!await FileTransferPermittedAsync($"download of {get.Path}", cancellation))
        {
            return;
        }

        var files = Files;
        var path = files.Resolve(get.Path);
        var (kind, size, error) = path is null ? (null, 0, "No such file or directory") : await files.StatAsync(path, cancellation);
        var refusal = (kind, error is null ? null : LoginFiles.Reason(error)) switch
        {
            (_, "No such file or directory" or "Not a directory") => $"no file {get.Path} on the client",
            (_, "Permission denied") => $"the login {Account.Name} may not read {get.Path}",
            (_, { } other) => $"cannot read {get.Path}: {other}",
            ("regular file" or "regular empty file", _) => null,
            _ => $"{get.Path} is not a regular file on the client",
        };
        if (refusal is not null)
        {
            Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"download of {get.Path}", refusal, services.Clock.GetUtcNow()));
            await SendAsync(new ChannelRefused(refusal), cancellation);
            return;
        }

        lock (_open)
        {
            _open.Add(SessionChannel.FileTransfer);
        }

        using var reader = files.StartReading(path!);
        reader.StandardInput.Close();
        var file = reader.StandardOutput.BaseStream;
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        services.Log($"session {Id}: download of {path} ({size} bytes) as {Account.Name}");
        Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"download of {path} ({size} bytes)", null, services.Clock.GetUtcNow()));
        await SendAsync(new FileOffer(size), cancellation);
        // Two buffers: the next chunk is read and hashed on a thread-pool thread while this one is encrypted and sent.
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(SessionProtocol.MaxDataMessageBytes), ArrayPool<byte>.Shared.Rent(SessionProtocol.MaxDataMessageBytes) };
        Task<int>? reading = null;
        try
        {
            var current = 0;
            reading = ReadAndHashAsync(file, hash, buffers[current]);
            int read;
            while ((read = await reading) > 0)
            {
                var chunk = buffers[current];
                current ^= 1;
                reading = ReadAndHashAsync(file, hash, buffers[current]);
                await SendDataAsync(chunk.AsMemory(0, read + 1), cancellation);
            }
        }
        finally
        {
            // A read still running (the send failed) must end before its buffer goes back to the pool and the file closes.
            if (reading is not null)
            {
                await reading.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!reader.HasExited)
            {
                reader.Kill();
            }

            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
            lock (_open)
            {
                _open.Remove(SessionChannel.FileTransfer);
            }
        }

        await reader.WaitForExitAsync(cancellation);
        if (reader.ExitCode != 0)
        {
            var failure = $"cannot read {get.Path}: {LoginFiles.Reason(await reader.StandardError.ReadToEndAsync(cancellation))}";
            services.Log($"session {Id}: download of {path} failed: {failure}");
            await SendAsync(new ChannelRefused(failure), cancellation);
            return;
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        await SendAsync(new FileEnd(sha256), cancellation);
        services.Log($"session {Id}: downloaded {path} (sha256 {sha256})");
        Audit(new SessionFileTransferred(Id, services.ClientId, "download", path!, size, sha256, services.Clock.GetUtcNow()));
    }

    /// <summary>Reads the next chunk of a download into <paramref name="buffer"/> after its stream tag, and hashes it; 0 at the end.</summary>
    private static Task<int> ReadAndHashAsync(Stream file, System.Security.Cryptography.IncrementalHash hash, byte[] buffer) => Task.Run(() =>
    {
        buffer[0] = (byte)DataStream.File;
        // A pipe returns what is there: fill the chunk (as a file read would) so that frames stay large.
        var read = file.ReadAtLeast(buffer.AsSpan(1, SessionProtocol.MaxDataMessageBytes - 1), SessionProtocol.MaxDataMessageBytes - 1, throwOnEndOfStream: false);

        hash.AppendData(buffer, 1, read);
        return read;
    });
}
