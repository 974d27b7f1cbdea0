using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Alba;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Support;

/// <summary>An HTTP caller of the in-process API with its own source address and (optionally) its bearer token.</summary>
public sealed class Client(IAlbaHost host, string? token = null)
{
    private static int _nextAddress;
    private readonly HttpClient _http = host.Server.CreateClient();

    public string SourceAddress { get; } = $"10.{Interlocked.Increment(ref _nextAddress) / 65536 % 256}.{_nextAddress / 256 % 256}.{_nextAddress % 256}";

    public string? Token { get; set; } = token;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public Client As(string? bearer) => new(host, bearer);

    /// <summary>The same caller speaking as an enrolled agent.</summary>
    public Client AsAgent(string credential) => new(host) { _agentCredential = credential };

    private string? _agentCredential;

    /// <summary>The portal session cookie (name=value) this caller holds, kept like a browser keeps it (set and deleted by responses).</summary>
    public string? Cookie { get; set; }

    /// <summary>Sent in X-CSRF-Token on unsafe requests, as the portal does.</summary>
    public string? CsrfToken { get; set; }

    /// <summary>Sent as the Origin header, as a browser does on unsafe requests.</summary>
    public string? Origin { get; set; }

    public Task<HttpResponseMessage> Delete(string path) => Send(HttpMethod.Delete, path, null, null);

    public Task<HttpResponseMessage> Get(string path, string? ifNoneMatch) => Send(HttpMethod.Get, path, null, null, ifNoneMatch);

    public Task<HttpResponseMessage> Post(string path, object? body = null, string? correlation = null) =>
        Send(HttpMethod.Post, path, body, correlation);

    public Task<HttpResponseMessage> Get(string path) => Send(HttpMethod.Get, path, null, null);

    /// <summary>A GET with one extra header (an agent's receipt on its policy request).</summary>
    public Task<HttpResponseMessage> Get(string path, string? ifNoneMatch, (string Name, string Value) header) =>
        Send(HttpMethod.Get, path, null, null, ifNoneMatch, header);

    public Task<HttpResponseMessage> Put(string path, object? body = null) => Send(HttpMethod.Put, path, body, null);

    public async Task<T> PostOk<T>(string path, object? body = null)
    {
        var response = await Post(path, body);
        return await Read<T>(response, HttpStatusCode.OK, HttpStatusCode.Created);
    }

    public async Task<T> GetOk<T>(string path) => await Read<T>(await Get(path), HttpStatusCode.OK);

    public static async Task<T> Read<T>(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected.Contains(response.StatusCode), $"Expected {string.Join("/", expected)}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    public async Task<TokenResponse> Login(string organization, string username, string password, string? totp = null, string? recovery = null)
    {
        var response = await Post("/auth/login", new LoginRequest(organization, username, password, totp, recovery));
        return await Read<TokenResponse>(response, HttpStatusCode.OK);
    }

    private async Task<HttpResponseMessage> Send(
        HttpMethod method, string path, object? body, string? correlation, string? ifNoneMatch = null, (string Name, string Value)? header = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (header is { } extra)
        {
            request.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
        }

        request.Headers.Add(ApiHost.TestSourceHeader, SourceAddress);
        if (_agentCredential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ControlAgent", _agentCredential);
        }
        else if (Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{ifNoneMatch}\"");
        }

        if (Cookie is not null)
        {
            request.Headers.Add("Cookie", Cookie);
        }

        if (CsrfToken is not null && method != HttpMethod.Get)
        {
            request.Headers.Add("X-CSRF-Token", CsrfToken);
        }

        if (Origin is not null)
        {
            request.Headers.Add("Origin", Origin);
        }

        if (correlation is not null)
        {
            request.Headers.Add("X-Correlation-Id", correlation);
        }

        if (body is not null)
        {
            request.Content = body switch
            {
                HttpContent content => content,
                string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
                _ => JsonContent.Create(body, body.GetType(), options: Json),
            };
        }

        var response = await _http.SendAsync(request);
        KeepCookie(response);
        return response;
    }

    private void KeepCookie(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            return;
        }

        foreach (var cookie in cookies.Where(c => c.StartsWith("control-session=", StringComparison.Ordinal)))
        {
            var pair = cookie.Split(';')[0];
            Cookie = pair == "control-session=" ? null : pair;
        }
    }
}
