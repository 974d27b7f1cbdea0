using System.Net.WebSockets;
using Control.Domain.Sessions;
using Control.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>The shell channel: an interactive terminal on the client, raw keys out and screen bytes in.</summary>
internal sealed partial class ViewerSession
{
    /// <summary>
    /// An interactive shell on the client's pseudo-terminal: <paramref name="input"/> is sent as keystrokes,
    /// <paramref name="resizes"/> report the local window size, output goes to <paramref name="output"/>. Returns the
    /// shell's exit code.
    /// </summary>
    public async Task<int> ShellAsync(
        string term, (int Columns, int Rows) size, Stream input, Stream output, System.Threading.Channels.ChannelReader<(int Columns, int Rows)> resizes,
        CancellationToken cancellation)
    {
        await SendAsync(new ShellRequest(term, size.Columns, size.Rows), cancellation);
        using var stopInput = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var sending = new SemaphoreSlim(1, 1);
        async Task Send(Func<Task> send)
        {
            await sending.WaitAsync(stopInput.Token);
            try
            {
                await send();
            }
            finally
            {
                sending.Release();
            }
        }

        var keystrokes = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            buffer[0] = (byte)DataStream.Stdin;
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(1), stopInput.Token)) > 0)
            {
                await Send(() => _socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, true, stopInput.Token).AsTask());
            }

            // Local input ended (a script piped in): end-of-file on a terminal is Ctrl-D, which ends the shell at a prompt.
            buffer[1] = 0x04;
            await Send(() => _socket.SendAsync(buffer.AsMemory(0, 2), WebSocketMessageType.Binary, true, stopInput.Token).AsTask());
        }, CancellationToken.None);
        var windows = Task.Run(async () =>
        {
            await foreach (var (columns, rows) in resizes.ReadAllAsync(stopInput.Token))
            {
                await Send(() => SendAsync(new WindowResized(columns, rows), stopInput.Token));
            }
        }, CancellationToken.None);
        try
        {
            while (true)
            {
                var frame = await ReceiveAsync(cancellation);
                if (frame.Closed)
                {
                    throw CliException.Failure($"client {Name} closed the session");
                }

                switch (frame.Control)
                {
                    case null:
                        await output.WriteAsync(frame.Data, cancellation);
                        await output.FlushAsync(cancellation);
                        break;
                    case ProcessExited exited:
                        return exited.ExitCode;
                    default:
                        throw Unexpected(frame);
                }
            }
        }
        finally
        {
            await stopInput.CancelAsync();
            // Reading standard input cannot always be cancelled (a blocked read of a terminal); do not wait for it.
            _ = keystrokes.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await windows.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
