using System.Buffers;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>The file transfer channel (control cp): uploads verified before they replace anything, downloads with their SHA-256.</summary>
internal sealed partial class AgentSession
{
    private static string Home => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? home : "/";

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

        var (upload, problem) = FileUpload.Open(put.Path ?? "", put.Size, Home);
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

        services.Log($"session {Id}: upload of {put.Size} bytes to {upload.Target}");
        Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"upload of {put.Size} bytes to {upload.Target}", null, services.Clock.GetUtcNow()));
        await SendAsync(new FileReady(), cancellation);
        return upload;
    }

    private async Task FinishUploadAsync(FileUpload upload, FileEnd end, CancellationToken cancellation)
    {
        var (sha256, problem) = upload.Complete(end.Sha256 ?? "");
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

        var path = FileUpload.Resolve(get.Path ?? "", Home);
        FileStream file;
        try
        {
            file = path is null ? throw new FileNotFoundException() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"download of {get.Path}", "no such file", services.Clock.GetUtcNow()));
            await SendAsync(new ChannelRefused($"no file {get.Path} on the client"), cancellation);
            return;
        }
        catch (UnauthorizedAccessException)
        {
            await SendAsync(new ChannelRefused($"the agent may not read {get.Path}"), cancellation);
            return;
        }
        catch (IOException e)
        {
            await SendAsync(new ChannelRefused($"cannot read {get.Path}: {e.Message}"), cancellation);
            return;
        }

        lock (_open)
        {
            _open.Add(SessionChannel.FileTransfer);
        }

        await using (file)
        {
            using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            services.Log($"session {Id}: download of {path} ({file.Length} bytes)");
            Audit(new SessionChannelOpened(Id, services.ClientId, "file-transfer", $"download of {path} ({file.Length} bytes)", null, services.Clock.GetUtcNow()));
            await SendAsync(new FileOffer(file.Length), cancellation);
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

                ArrayPool<byte>.Shared.Return(buffers[0]);
                ArrayPool<byte>.Shared.Return(buffers[1]);
                lock (_open)
                {
                    _open.Remove(SessionChannel.FileTransfer);
                }
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            await SendAsync(new FileEnd(sha256), cancellation);
            services.Log($"session {Id}: downloaded {path} (sha256 {sha256})");
            Audit(new SessionFileTransferred(Id, services.ClientId, "download", path!, file.Length, sha256, services.Clock.GetUtcNow()));
        }
    }

    /// <summary>Reads the next chunk of a download into <paramref name="buffer"/> after its stream tag, and hashes it; 0 at the end.</summary>
    private static Task<int> ReadAndHashAsync(FileStream file, System.Security.Cryptography.IncrementalHash hash, byte[] buffer) => Task.Run(() =>
    {
        buffer[0] = (byte)DataStream.File;
        var read = file.Read(buffer, 1, SessionProtocol.MaxDataMessageBytes - 1);
        hash.AppendData(buffer, 1, read);
        return read;
    });
}
