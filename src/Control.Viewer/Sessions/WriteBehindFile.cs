using Microsoft.Win32.SafeHandles;

namespace Control.Viewer.Sessions;

/// <summary>
/// A download's temporary file, flushed to disk behind the writes: every <see cref="FlushEvery"/> bytes a flush starts on
/// a thread-pool thread while the next bytes keep arriving. The file must be on disk before it replaces the target (a
/// crash must not leave an empty or torn file under the old name); flushing only at the end made the viewer wait for
/// the whole file's write-back after the last byte came, a large part of a big download.
/// </summary>
internal sealed class WriteBehindFile(FileStream file) : Stream
{
    public const long FlushEvery = 64L << 20;

    private readonly SafeFileHandle _handle = file.SafeFileHandle;
    private long _unflushed;
    private Task _flushing = Task.CompletedTask;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await file.WriteAsync(buffer, cancellationToken);
        _unflushed += buffer.Length;
        if (_unflushed >= FlushEvery && _flushing.IsCompleted)
        {
            // Surfaces a failed flush (a full or failing disk) at once instead of at the end.
            await _flushing;
            _unflushed = 0;
            _flushing = Task.Run(() => RandomAccess.FlushToDisk(_handle), CancellationToken.None);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Returns once every byte written is on disk.</summary>
    public async Task FlushToDiskAsync()
    {
        await _flushing;
        RandomAccess.FlushToDisk(_handle);
    }

    public override void Flush() => file.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        // The handle must outlive a flush still running (a failed download is abandoned mid-way).
        await _flushing.ContinueWith(_ => { }, TaskScheduler.Default);
        await file.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _flushing.ContinueWith(_ => { }, TaskScheduler.Default).GetAwaiter().GetResult();
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
