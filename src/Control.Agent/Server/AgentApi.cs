using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Http;

namespace Control.Agent.Server;

/// <summary>
/// The three agent endpoints of the Control API. HTTP answers come back as values (the caller decides what a 401 or a
/// 409 means to it); only failing to get an answer at all throws (<see cref="HttpRequestException"/>, or
/// <see cref="OperationCanceledException"/> on the timeout).
/// </summary>
internal sealed class AgentApi : IDisposable
{
    /// <summary>How long the server may park a policy request; the HTTP timeout leaves a margin on top.</summary>
    public const int PolicyWaitSeconds = 30;

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(PolicyWaitSeconds + 15);

    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue? _authorization;

    public AgentApi(Uri server, string? credential)
    {
        // No redirects: a 3xx is a misconfiguration to report, not a reason to send the credential somewhere else.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(PolicyWaitSeconds * 3),
        };
        _http = new HttpClient(handler) { BaseAddress = server, Timeout = Timeout, MaxResponseContentBufferSize = 1 << 20 };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("control-agent", AgentVersion.Text));
        _authorization = credential is null ? null : new AuthenticationHeaderValue("ControlAgent", credential);
    }

    public async Task<ApiAnswer<EnrollResponse>> EnrollAsync(EnrollRequest request, CancellationToken cancellation)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "agent/enroll") { Content = Json(request) };
        using var response = await _http.SendAsync(message, cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return ApiAnswer<EnrollResponse>.Refused(response.StatusCode, ApiProblem.Parse(response.StatusCode, body));
        }

        try
        {
            return new(response.StatusCode, JsonSerializer.Deserialize<EnrollResponse>(body, PolicySignature.Json), null);
        }
        catch (JsonException)
        {
            return new(response.StatusCode, null, null);
        }
    }

    /// <summary>
    /// <c>GET /agent/policy?wait=N</c> with the version in force as the entity tag: 304 when it is still current
    /// (after up to <paramref name="waitSeconds"/>), 200 with whatever the server claims is newer. Carries the signed
    /// receipt for the version in force when there is one to send.
    /// </summary>
    public async Task<PolicyAnswer> GetPolicyAsync(long? versionInForce, int waitSeconds, PolicyAcknowledgement? receipt, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"agent/policy?wait={waitSeconds}");
        request.Headers.Authorization = _authorization;
        if (receipt is not null)
        {
            request.Headers.TryAddWithoutValidation(PolicyAcknowledgement.Header, receipt.HeaderValue);
        }

        if (versionInForce is { } version)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{version}\""));
        }

        using var response = await _http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new PolicyAnswer(response.StatusCode, null, ApiProblem.Parse(response.StatusCode, body), null);
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        try
        {
            return new PolicyAnswer(response.StatusCode, JsonSerializer.Deserialize(body, PolicyJsonContext.Default.SignedPolicy), null, digest);
        }
        catch (JsonException)
        {
            return new PolicyAnswer(response.StatusCode, null, null, digest);
        }
    }

    /// <summary><c>PUT /agent/endpoint</c>: where viewers reach this agent's sessions (published in the directory).</summary>
    public Task<ApiAnswer<object>> RegisterEndpointAsync(AgentEndpointRequest endpoint, CancellationToken cancellation) =>
        SendAsync(HttpMethod.Put, "agent/endpoint", endpoint, cancellation);

    /// <summary><c>POST /agent/session-events</c>: the ids the API now holds (appended now or before).</summary>
    public async Task<ApiAnswer<AgentSessionEventsAccepted>> PostSessionEventsAsync(AgentSessionEventBatch batch, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "agent/session-events") { Content = Json(batch) };
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellation);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (!response.IsSuccessStatusCode)
        {
            return ApiAnswer<AgentSessionEventsAccepted>.Refused(response.StatusCode, ApiProblem.Parse(response.StatusCode, body));
        }

        try
        {
            return new(response.StatusCode, JsonSerializer.Deserialize<AgentSessionEventsAccepted>(body, PolicySignature.Json), null);
        }
        catch (JsonException)
        {
            return new(response.StatusCode, null, null);
        }
    }

    /// <summary><c>PUT /agent/sessions/{id}/recording</c> with the asciicast file as the body (streamed from disk, with its length).</summary>
    public async Task<ApiAnswer<object>> PutRecordingPartAsync(Guid sessionId, int index, string path, CancellationToken cancellation)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"agent/sessions/{sessionId}/recording/parts/{index}") { Content = new StreamContent(file) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-asciicast");
        request.Content.Headers.ContentLength = file.Length;
        return await SendAsync(request, cancellation);
    }

    private async Task<ApiAnswer<object>> SendAsync<T>(HttpMethod method, string path, T body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, path) { Content = Json(body) };
        return await SendAsync(request, cancellation);
    }

    /// <summary>A request whose answer carries no body worth reading: success, or the problem.</summary>
    private async Task<ApiAnswer<object>> SendAsync(HttpRequestMessage request, CancellationToken cancellation)
    {
        request.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(request, cancellation);
        var answer = await response.Content.ReadAsByteArrayAsync(cancellation);
        return response.IsSuccessStatusCode
            ? new(response.StatusCode, null, null)
            : ApiAnswer<object>.Refused(response.StatusCode, ApiProblem.Parse(response.StatusCode, answer));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>"message (innermost cause)": HttpClient's own message alone ("An error occurred while sending the request.") says nothing.</summary>
    public static string Describe(HttpRequestException failure)
    {
        Exception cause = failure;
        while (cause.InnerException is { } inner)
        {
            cause = inner;
        }

        return cause == failure || failure.Message.Contains(cause.Message, StringComparison.Ordinal)
            ? failure.Message
            : $"{failure.Message.TrimEnd('.')} ({cause.Message.TrimEnd('.')})";
    }

    // Buffered, so the body goes with a Content-Length: some proxies refuse chunked request bodies.
    private static ByteArrayContent Json<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, PolicySignature.Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}

internal sealed record ApiAnswer<T>(HttpStatusCode Status, T? Value, ApiProblem? Problem)
    where T : class
{
    public static ApiAnswer<T> Refused(HttpStatusCode status, ApiProblem problem) => new(status, null, problem);
}

/// <param name="Signed">The parsed document of a 200 (null when the body is not one); nothing about it is checked yet.</param>
/// <param name="Digest">SHA-256 of a 200's body, so the same refused document is reported once, not on every retry.</param>
internal sealed record PolicyAnswer(HttpStatusCode Status, SignedPolicy? Signed, ApiProblem? Problem, string? Digest);
