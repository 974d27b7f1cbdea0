using System.Net.WebSockets;
using System.Security.Cryptography;
using Control.Domain.Sessions;
using Control.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>The file channel: uploads and downloads in chunks, each checked against the SHA-256 the other side reports.</summary>
internal sealed partial class ViewerSession
{
    /// <summary>Uploads a local file; the agent replaces the target only when the SHA-256 of what arrived matches. Returns the SHA-256.</summary>
    public async Task<string> UploadAsync(Stream source, long size, string remotePath, IProgress<long> progress, CancellationToken cancellation)
    {
        await SendAsync(new FilePut(remotePath, size), cancellation);
        await ExpectAsync<FileReady>(cancellation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[SessionProtocol.MaxDataMessageBytes];
        buffer[0] = (byte)DataStream.File;
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer.AsMemory(1), cancellation)) > 0)
        {
            if (sent + read > size)
            {
                throw CliException.Failure("the local file grew while it was being sent; nothing was written on the client");
            }

            hash.AppendData(buffer, 1, read);
            await _socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, cancellation);
            sent += read;
            progress.Report(sent);
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        await SendAsync(new FileEnd(sha256), cancellation);
        var done = await ExpectAsync<FileDone>(cancellation);
        if (!string.Equals(done.Sha256, sha256, StringComparison.Ordinal))
        {
            throw CliException.Failure($"the client reports SHA-256 {done.Sha256}, not {sha256}");
        }

        return sha256;
    }

    /// <summary>
    /// Downloads a file into <paramref name="target"/> (a temporary file the caller moves into place), verifying the
    /// SHA-256 the agent sends after the bytes. Returns the size and SHA-256.
    /// </summary>
    public async Task<(long Size, string Sha256)> DownloadAsync(string remotePath, Stream target, IProgress<(long Received, long Total)> progress, CancellationToken cancellation)
    {
        await SendAsync(new FileGet(remotePath), cancellation);
        var offer = await ExpectAsync<FileOffer>(cancellation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Two receive buffers: a chunk is hashed and written on a thread-pool thread while the next one is received and
        // decrypted into the other buffer. Chunks are hashed and written in order: each waits for the one before.
        var buffers = new[] { _buffer, new byte[SessionProtocol.MaxDataMessageBytes] };
        var current = 0;
        var writing = Task.CompletedTask;
        long received = 0;
        try
        {
            while (true)
            {
                var frame = await ReceiveAsync(buffers[current], cancellation);
                switch (frame.Control)
                {
                    case null when frame.Stream == DataStream.File:
                        if (received + frame.Data.Length > offer.Size)
                        {
                            throw CliException.Failure("the client sent more bytes than it announced; the download was discarded");
                        }

                        await writing;
                        var data = frame.Data;
                        writing = Task.Run(async () =>
                        {
                            hash.AppendData(data.Span);
                            await target.WriteAsync(data, cancellation);
                        }, CancellationToken.None);
                        current ^= 1;
                        received += data.Length;
                        progress.Report((received, offer.Size));
                        break;
                    case FileEnd end:
                        await writing;
                        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
                        if (received != offer.Size || !string.Equals(end.Sha256, sha256, StringComparison.OrdinalIgnoreCase))
                        {
                            throw CliException.Failure($"the download is damaged ({received} of {offer.Size} bytes, SHA-256 {sha256} vs {end.Sha256}); it was discarded");
                        }

                        return (received, sha256);
                    default:
                        throw Unexpected(frame);
                }
            }
        }
        finally
        {
            // A write still running (the download failed) must end before the caller closes the file.
            await writing.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
