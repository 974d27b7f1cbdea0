using System.Buffers;
using System.Net.WebSockets;
using Control.Domain.Sessions;

// Compiled into both control-agent and control (linked source): reading the session's WebSocket messages with the
// protocol's size limits. Control.Domain holds the message types; this is the I/O around them.
namespace Control.Sessions;

/// <summary>The peer broke the session protocol (malformed, oversized or unexpected message): the session ends.</summary>
internal sealed class SessionProtocolViolation : Exception
{
    public SessionProtocolViolation()
    {
    }

    public SessionProtocolViolation(string message)
        : base(message)
    {
    }

    public SessionProtocolViolation(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>One received WebSocket message: a control message, or a binary data message (stream tag + bytes).</summary>
internal readonly record struct SessionFrame(SessionMessage? Control, DataStream Stream, ReadOnlyMemory<byte> Data, bool Closed);

internal static class SessionFrames
{
    /// <summary>The next control message (null when the peer closed); binary data here is a protocol violation.</summary>
    public static async Task<SessionMessage?> ReceiveControlAsync(WebSocket socket, TimeSpan timeout, CancellationToken cancellation)
    {
        var buffer = new byte[SessionProtocol.MaxControlMessageBytes];
        var frame = await ReceiveAsync(socket, buffer, timeout, cancellation);
        if (frame.Closed)
        {
            return null;
        }

        return frame.Control ?? throw new SessionProtocolViolation("binary data where a control message was expected");
    }

    /// <summary>
    /// Receives one whole message into <paramref name="buffer"/> (at least <see cref="SessionProtocol.MaxDataMessageBytes"/>
    /// long for data). A message larger than the protocol allows, or a control message that does not parse, ends the session.
    /// </summary>
    public static async Task<SessionFrame> ReceiveAsync(WebSocket socket, byte[] buffer, TimeSpan timeout, CancellationToken cancellation)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            deadline.CancelAfter(timeout);
        }

        var count = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw new SessionProtocolViolation($"no message within {timeout.TotalSeconds:0} s");
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new SessionFrame(null, default, default, Closed: true);
            }

            count += result.Count;
            var limit = result.MessageType == WebSocketMessageType.Text ? SessionProtocol.MaxControlMessageBytes : SessionProtocol.MaxDataMessageBytes;
            if (count > limit || (!result.EndOfMessage && count >= Math.Min(limit, buffer.Length)))
            {
                throw new SessionProtocolViolation($"a message larger than {limit} bytes");
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            if (result.MessageType == WebSocketMessageType.Text)
            {
                return new SessionFrame(
                    SessionProtocol.Deserialize(buffer.AsSpan(0, count)) ?? throw new SessionProtocolViolation("a malformed control message"),
                    default, default, Closed: false);
            }

            if (count < 1 || buffer[0] > (byte)DataStream.File)
            {
                throw new SessionProtocolViolation("a data message without a valid stream tag");
            }

            return new SessionFrame(null, (DataStream)buffer[0], buffer.AsMemory(1, count - 1), Closed: false);
        }
    }
}
