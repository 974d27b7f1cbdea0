using Control.Domain.Sessions;
using Control.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>The exec channel: one program run on the client, its output streamed back.</summary>
internal sealed partial class ViewerSession
{
    /// <summary>Runs a program on the client; its output goes to the two streams; returns its exit code.</summary>
    public async Task<int> ExecAsync(string command, IReadOnlyList<string> arguments, Stream stdout, Stream stderr, CancellationToken cancellation)
    {
        await SendAsync(new ExecRequest(command, arguments), cancellation);
        while (true)
        {
            var frame = await ReceiveAsync(cancellation);
            if (frame.Closed)
            {
                throw CliException.Failure($"client {Name} closed the session before the program finished");
            }

            switch (frame.Control)
            {
                case null:
                    await (frame.Stream == DataStream.Stderr ? stderr : stdout).WriteAsync(frame.Data, cancellation);
                    break;
                case ProcessExited exited:
                    await stdout.FlushAsync(cancellation);
                    await stderr.FlushAsync(cancellation);
                    return exited.ExitCode;
                default:
                    throw Unexpected(frame);
            }
        }
    }
}
