using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Tests.Infrastructure;

/// <summary>
/// Plays the Control API's agent endpoints on a real loopback socket (<see cref="HttpListener"/>): enrolment, the
/// long-polled signed policy with entity tags, and receipts. Tests decide what it serves, including documents a real
/// server would never send (mis-signed, tampered, foreign, older), and can take it away and bring it back on the same port.
/// The agent talks to a TCP front on <see cref="Port"/> that pipes to the listener: taking the API away closes that front and
/// resets every open connection, as a dead server does. (Closing an HttpListener instead answers its queued requests with an
/// empty 200, which is not what an agent ever sees from a server that went away.)
/// </summary>
internal sealed class FakeControlApi : IDisposable
{
    public const string Organization = "acme";
    public const string LicenseKey = "ctl-lic.acme.0123456789abcdef0123456789abcdef";

    private readonly ConcurrentQueue<PolicyAcknowledgement> _acks = new();
    private readonly ServedPolicy _served = new();
    private readonly HttpListener _listener = new();
    private readonly int _backendPort;
    private readonly ConcurrentDictionary<Socket, byte> _connections = new();
    private TcpListener? _front;
    private CancellationTokenSource _stopping = new();
    private int _parked;
    private int _policyRequests;
    private int _failSessionEventPosts;
    private readonly ConcurrentQueue<(AgentSessionEventBatch, HttpStatusCode)> _sessionEventPosts = new();

    public FakeControlApi(ECDsa organizationKey)
    {
        OrganizationKey = organizationKey;
        Port = FreePort();
        _backendPort = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{_backendPort}/");
        _listener.Start();
        _ = AcceptAsync(_listener);
        Start();
    }

    public ECDsa OrganizationKey { get; }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public Guid ClientId { get; set; } = Guid.CreateVersion7();

    public string ClientNumber { get; set; } = "123456789";

    public string Credential => $"ctl-agent.{Organization}.{ClientId:N}.secret-{ClientNumber}-do-not-print";

    /// <summary>The public key the agent sent at its last enrolment (SPKI, base64).</summary>
    public string? EnrolledPublicKey { get; private set; }

    public EnrollRequest? LastEnrollRequest { get; private set; }

    /// <summary>Overrides the enrolment answer: status and JSON body (a problem, or a doctored response).</summary>
    public Func<EnrollRequest, (HttpStatusCode Status, object Body)>? EnrollAnswer { get; set; }

    public bool RefuseCredential { get; set; }

    /// <summary>Every receipt that came with a policy request, in arrival order.</summary>
    public IReadOnlyList<PolicyAcknowledgement> Acks => [.. _acks];

    /// <summary>Every session-event batch posted, in arrival order, including the ones answered with a failure.</summary>
    public IReadOnlyList<(AgentSessionEventBatch Batch, HttpStatusCode Answer)> SessionEventPosts => [.. _sessionEventPosts];

    /// <summary>How many of the next session-event posts get a 503 (the API is "down" for them).</summary>
    public int FailSessionEventPosts { get => Volatile.Read(ref _failSessionEventPosts); set => Volatile.Write(ref _failSessionEventPosts, value); }

    /// <summary>Recording parts uploaded, by session id and part index.</summary>
    public ConcurrentDictionary<(Guid Session, int Index), byte[]> Recordings { get; } = new();

    public int ParkedPolls => Volatile.Read(ref _parked);

    public int PolicyRequests => Volatile.Read(ref _policyRequests);

    public void ServePolicy(SignedPolicy signed) => ServeRaw(signed.Policy.Version, JsonSerializer.Serialize(signed, PolicySignature.Json));

    /// <summary>Serves this exact body with ETag "<paramref name="version"/>" and wakes parked polls.</summary>
    public void ServeRaw(long version, string json) => _served.Serve(version, json);

    /// <summary>Parked polls answer now (304 when nothing changed), as if their wait had run out.</summary>
    public void ReleaseParkedPolls() => _served.Release();

    /// <summary>Closes the listening socket and resets every open connection, parked polls included: the API is gone.</summary>
    public void Stop()
    {
        _stopping.Cancel();
        _front?.Stop();
        _front = null;
        foreach (var connection in _connections.Keys)
        {
            Reset(connection);
        }
    }

    /// <summary>Listens on <see cref="Port"/> again (the same port: agents keep their configured URL).</summary>
    public void Start()
    {
        _stopping = new CancellationTokenSource();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var front = new TcpListener(IPAddress.Loopback, Port);
            front.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            try
            {
                front.Start();
                _front = front;
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                front.Stop();
                Thread.Sleep(100);
            }
        }

        _ = FrontAsync(_front, _stopping.Token);
    }

    public void Dispose()
    {
        Stop();
        _listener.Close();
        _stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task FrontAsync(TcpListener front, CancellationToken stopping)
    {
        while (true)
        {
            Socket inbound;
            try
            {
                inbound = await front.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                return;
            }

            _connections[inbound] = 0;
            if (stopping.IsCancellationRequested)
            {
                // Accepted while Stop was resetting the others.
                Reset(inbound);
                return;
            }

            _ = Task.Run(() => PipeAsync(inbound), CancellationToken.None);
        }
    }

    private async Task PipeAsync(Socket inbound)
    {
        var outbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _connections[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, _backendPort);
            await using var client = new NetworkStream(inbound, ownsSocket: false);
            await using var server = new NetworkStream(outbound, ownsSocket: false);
            await Task.WhenAny(client.CopyToAsync(server), server.CopyToAsync(client));
            inbound.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _connections.TryRemove(inbound, out _);
            _connections.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    /// <summary>Closes with RST (linger 0): the peer sees the connection reset, not an orderly end of a response.</summary>
    private void Reset(Socket socket)
    {
        _connections.TryRemove(socket, out _);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync(HttpListener listener)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            CancellationToken stopping;
            try
            {
                stopping = _stopping.Token;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context, stopping), CancellationToken.None);
        }
    }

    private async Task HandleAsync(HttpListenerContext context, CancellationToken stopping)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            switch (context.Request.HttpMethod, path)
            {
                case ("POST", "/agent/enroll"):
                    await EnrollAsync(context);
                    break;
                case ("GET", "/agent/policy"):
                    await PolicyAsync(context, stopping);
                    break;
                case ("POST", "/agent/session-events"):
                    await SessionEventsAsync(context);
                    break;
                case ("PUT", _) when path.StartsWith("/agent/sessions/", StringComparison.Ordinal) && path.Contains("/recording/parts/", StringComparison.Ordinal):
                    await RecordingAsync(context, Guid.Parse(path.Split('/')[3]), int.Parse(path.Split('/')[6], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    await WriteJsonAsync(context, HttpStatusCode.NotFound, new { title = "Not found." });
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            Abort(context);
        }
    }

    private async Task EnrollAsync(HttpListenerContext context)
    {
        var request = await JsonSerializer.DeserializeAsync<EnrollRequest>(context.Request.InputStream, PolicySignature.Json);
        LastEnrollRequest = request;
        if (EnrollAnswer is { } answer)
        {
            var (status, body) = answer(request!);
            await WriteJsonAsync(context, status, body);
            return;
        }

        EnrolledPublicKey = request!.PublicKey;
        await WriteJsonAsync(context, HttpStatusCode.OK, new EnrollResponse(
            ClientId, ClientNumber, Organization, request.Alias is null ? null : $"{request.Alias}@{Organization}", Credential,
            Convert.ToBase64String(OrganizationKey.ExportSubjectPublicKeyInfo()), PolicySignature.Fingerprint(request.PublicKey!)));
    }

    private async Task PolicyAsync(HttpListenerContext context, CancellationToken stopping)
    {
        Interlocked.Increment(ref _policyRequests);
        if (!Authorized(context))
        {
            await WriteJsonAsync(context, HttpStatusCode.Unauthorized, new { status = 401, title = "Agent not recognized." });
            return;
        }

        if (context.Request.Headers[PolicyAcknowledgement.Header] is { } header)
        {
            // The agent's receipt rides on its policy request, as the real API takes it.
            if (!PolicyAcknowledgement.TryParseHeader(header, out var receipt))
            {
                await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { status = 400, title = "Malformed receipt." });
                return;
            }

            _acks.Enqueue(receipt);
        }

        var wait = int.TryParse(context.Request.QueryString["wait"], out var seconds) ? seconds : 0;
        var deadline = DateTime.UtcNow.AddSeconds(wait);
        var known = context.Request.Headers["If-None-Match"];
        while (true)
        {
            var (body, tag, changed) = _served.Current();
            if (body is null)
            {
                await WriteJsonAsync(context, HttpStatusCode.NotFound, new { title = "No policy yet." });
                return;
            }

            if (known != tag)
            {
                context.Response.Headers["ETag"] = tag;
                await WriteAsync(context, HttpStatusCode.OK, body);
                return;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                await WriteAsync(context, HttpStatusCode.NotModified, []);
                return;
            }

            Interlocked.Increment(ref _parked);
            try
            {
                var woken = await Task.WhenAny(changed, Task.Delay(remaining, stopping));
                stopping.ThrowIfCancellationRequested();
                if (woken == changed && ReferenceEquals(body, _served.Current().Body))
                {
                    await WriteAsync(context, HttpStatusCode.NotModified, []);
                    return;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _parked);
            }
        }
    }

    private async Task SessionEventsAsync(HttpListenerContext context)
    {
        var batch = (await JsonSerializer.DeserializeAsync<AgentSessionEventBatch>(context.Request.InputStream, PolicySignature.Json))!;
        if (!Authorized(context))
        {
            _sessionEventPosts.Enqueue((batch, HttpStatusCode.Unauthorized));
            await WriteJsonAsync(context, HttpStatusCode.Unauthorized, new { status = 401, title = "Agent not recognized." });
            return;
        }

        if (Interlocked.Decrement(ref _failSessionEventPosts) >= 0)
        {
            _sessionEventPosts.Enqueue((batch, HttpStatusCode.ServiceUnavailable));
            await WriteJsonAsync(context, HttpStatusCode.ServiceUnavailable, new { status = 503, title = "Down." });
            return;
        }

        Interlocked.Exchange(ref _failSessionEventPosts, 0);
        _sessionEventPosts.Enqueue((batch, HttpStatusCode.OK));
        await WriteJsonAsync(context, HttpStatusCode.OK, new AgentSessionEventsAccepted([.. batch.Events!.Select(e => e.Id)]));
    }

    private async Task RecordingAsync(HttpListenerContext context, Guid sessionId, int index)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        if (!Authorized(context) || Interlocked.Decrement(ref _failSessionEventPosts) >= 0)
        {
            Interlocked.Exchange(ref _failSessionEventPosts, Math.Max(0, Volatile.Read(ref _failSessionEventPosts)));
            await WriteJsonAsync(context, HttpStatusCode.ServiceUnavailable, new { status = 503, title = "Down." });
            return;
        }

        Interlocked.Exchange(ref _failSessionEventPosts, 0);
        Recordings[(sessionId, index)] = body.ToArray();
        await WriteAsync(context, HttpStatusCode.OK, []);
    }

    private bool Authorized(HttpListenerContext context) =>
        !RefuseCredential && context.Request.Headers["Authorization"] == $"ControlAgent {Credential}";

    private static Task WriteJsonAsync(HttpListenerContext context, HttpStatusCode status, object body) =>
        WriteAsync(context, status, JsonSerializer.SerializeToUtf8Bytes(body, PolicySignature.Json), "application/json");

    private static async Task WriteAsync(HttpListenerContext context, HttpStatusCode status, byte[] body, string contentType = "application/json")
    {
        context.Response.StatusCode = (int)status;
        if (body.Length > 0)
        {
            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
        }

        context.Response.Close();
    }

    /// <summary>A parked poll of an API that went away: its connection is being reset by <see cref="Stop"/>; nothing useful is sent.</summary>
    private static void Abort(HttpListenerContext context)
    {
        try
        {
            context.Response.StatusCode = (int)HttpStatusCode.ServiceUnavailable;
            context.Response.Abort();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or HttpListenerException)
        {
        }
    }
}
