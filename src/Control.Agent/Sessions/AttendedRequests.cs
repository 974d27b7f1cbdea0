using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Control.Agent.Storage;

namespace Control.Agent.Sessions;

/// <summary>A session waiting for the person at the client (attended mode).</summary>
internal sealed record AttendedRequest(string Id, string ViewerAlias, string Source, string? Justification, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Attended mode: with unattended access off, a session waits until someone at the machine accepts it
/// (<c>control-agent accept ID</c>) or denies it, or the timeout passes. Requests are answered over a Unix socket that
/// anyone may connect to; the agent answers only the accounts it trusts for that (<see cref="LocalControl"/>).
/// </summary>
internal sealed class AttendedRequests(TimeProvider clock, TimeSpan? timeout = null)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public TimeSpan Timeout { get; } = timeout ?? DefaultTimeout;

    private readonly ConcurrentDictionary<string, (AttendedRequest Request, TaskCompletionSource<bool> Decision)> _pending = new(StringComparer.Ordinal);

    public IReadOnlyList<AttendedRequest> Pending => _pending.Values.Select(p => p.Request).OrderBy(r => r.RequestedAt).ToList();

    /// <summary>Registers a request; the task completes with the decision (false on timeout or cancellation).</summary>
    public (AttendedRequest Request, Task<bool> Decision) Ask(string viewerAlias, string source, string? justification, CancellationToken cancellation)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        var now = clock.GetUtcNow();
        var request = new AttendedRequest(id, viewerAlias, source, justification, now, now + Timeout);
        var decision = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (request, decision);
        return (request, Wait(id, decision, cancellation));
    }

    /// <summary>Accepts or denies a pending request; false when there is none with that id.</summary>
    public bool Decide(string id, bool accept) => _pending.TryRemove(id, out var pending) && pending.Decision.TrySetResult(accept);

    private async Task<bool> Wait(string id, TaskCompletionSource<bool> decision, CancellationToken cancellation)
    {
        try
        {
            return await decision.Task.WaitAsync(Timeout, clock, cancellation);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }
}

/// <summary>One request line and one answer line over the daemon's control socket.</summary>
internal sealed record LocalCommand(string Command, string? Id);

internal sealed record LocalAnswer(bool Ok, string? Message, IReadOnlyList<AttendedRequest>? Pending);

/// <summary>
/// The daemon's side of the control socket. Accepting a session is granting it, so the kernel's word on who is calling
/// (SO_PEERCRED: the peer's uid when it connected, which it cannot forge) decides: root, the agent's own account and the
/// accounts named with <c>control-agent run --attended-by</c> may list and answer requests; any other account, a
/// session's login included, is refused.
/// </summary>
internal static class LocalControl
{
    private const int SOL_SOCKET = 1;
    private const int SO_PEERCRED = 17;

    public static async Task ServeAsync(string path, AttendedRequests requests, IReadOnlyDictionary<uint, string> trusted, Action<string> log, CancellationToken stop)
    {
        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        listener.Listen(8);
        var me = Platform.FileOwnership.EffectiveUserId;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var connection = await listener.AcceptAsync(stop);
                await using var stream = new NetworkStream(connection, ownsSocket: false);
                var caller = PeerUserId(connection);
                LocalAnswer answer;
                if (caller is { } uid && (uid == 0 || uid == me || trusted.ContainsKey(uid)))
                {
                    answer = await AnswerAsync(stream, requests, log, stop);
                }
                else
                {
                    log($"attended: refused a request on the control socket from uid {caller?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} (not trusted to answer session requests)");
                    answer = new LocalAnswer(false, "this account may not answer session requests on this machine (control-agent run --attended-by NAME trusts an account)", null);
                }

                await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(answer, AgentJson.Compact) + "\n"), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Reads one command from a trusted caller and carries it out.</summary>
    private static async Task<LocalAnswer> AnswerAsync(Stream stream, AttendedRequests requests, Action<string> log, CancellationToken stop)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            var command = line is null ? null : JsonSerializer.Deserialize<LocalCommand>(line, AgentJson.Files);
            var answer = command switch
            {
                { Command: "pending" } => new LocalAnswer(true, null, requests.Pending),
                { Command: "accept" or "deny", Id: { } id } when requests.Decide(id, command.Command == "accept") =>
                    new LocalAnswer(true, $"{(command.Command == "accept" ? "accepted" : "denied")} request {id}", null),
                { Command: "accept" or "deny", Id: { } id } => new LocalAnswer(false, $"no pending request {id} (it may have timed out)", null),
                _ => new LocalAnswer(false, "unknown command", null),
            };
            if (command is { Command: "accept" or "deny" } && answer.Ok)
            {
                log($"attended: {answer.Message} (answered at the client)");
            }

            return answer;
        }
        catch (Exception e) when (e is JsonException or IOException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return new LocalAnswer(false, "malformed request", null);
        }
    }

    /// <summary>The uid of the process at the other end of a Unix socket, from the kernel (struct ucred: pid, uid, gid).</summary>
    private static uint? PeerUserId(Socket connection)
    {
        Span<byte> credentials = stackalloc byte[12];
        return connection.GetRawSocketOption(SOL_SOCKET, SO_PEERCRED, credentials) == 12 ? BitConverter.ToUInt32(credentials[4..8]) : null;
    }

    /// <summary>The CLI's side: sends one command to the running daemon.</summary>
    public static async Task<LocalAnswer> AskAsync(string path, LocalCommand command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            throw AgentFailure.Error($"no running agent answers on {path} (is control-agent run going, as this user?)");
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(command, AgentJson.Compact) + "\n"));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
        return (line is null ? null : JsonSerializer.Deserialize<LocalAnswer>(line, AgentJson.Files))
            ?? throw AgentFailure.Error("the running agent gave no answer");
    }
}
