using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using Control.Http;

namespace Control.Viewer.Infrastructure;

/// <summary>The answer to one API call: the body on success, otherwise the problem details.</summary>
internal sealed record ApiResult<T>(HttpStatusCode Status, T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;

    /// <summary>The body, or the problem as a <see cref="CliException"/> phrased for the user.</summary>
    public T Require(IReadOnlyDictionary<string, string>? fieldNames = null) =>
        Problem is { } problem ? throw CliException.FromProblem(problem, fieldNames) : Value!;
}

/// <summary>Marker for endpoints that answer 204 with no body.</summary>
internal sealed record NoContent
{
    public static readonly NoContent Value = new();
}

/// <summary>
/// HTTP to the Control API: JSON bodies with the web defaults (camelCase), problem details on failure, a 30 s
/// timeout, and one phrase for "the server is not there". Knows nothing about stored credentials.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { TypeInfoResolver = ViewerJsonContext.Default };

    private static readonly string UserAgent =
        "control/" + (typeof(ApiClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0");

    private readonly HttpClient _http;

    public ApiClient(Uri server, HttpMessageHandler handler)
    {
        Server = server;
        // A trailing slash keeps a path prefix (http://host/control/) when relative paths are resolved against it.
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri(server.ToString().TrimEnd('/') + "/"),
            Timeout = Timeout,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
    }

    public Uri Server { get; }

    public static ApiClient Create(CliContext context, Uri server) => new(server, context.CreateHttpHandler());

    /// <param name="path">Relative to the server, without a leading slash (<c>auth/login</c>).</param>
    public async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, object? body, string? bearerToken, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, Json.GetTypeInfo(body.GetType()));
        }

        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellation);

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            if (!response.IsSuccessStatusCode)
            {
                return new ApiResult<T>(response.StatusCode, default, ApiProblem.Parse(response.StatusCode, text));
            }

            // A download (a session recording): the body as it came, not JSON.
            if (typeof(T) == typeof(byte[]))
            {
                return new ApiResult<T>(response.StatusCode, (T)(object)bytes, null);
            }

            if (typeof(T) == typeof(NoContent))
            {
                return new ApiResult<T>(response.StatusCode, (T)(object)NoContent.Value, null);
            }

            try
            {
                var value = JsonSerializer.Deserialize(text, ViewerJson.Info<T>(Json))
                    ?? throw new JsonException("empty body");
                return new ApiResult<T>(response.StatusCode, value, null);
            }
            catch (JsonException e)
            {
                throw CliException.Failure(
                    $"the server at {Server.ToString().TrimEnd('/')} answered {method} /{path} with something this version of control cannot read ({e.Message}); is it a Control API of the same version?");
            }
        }
    }

    /// <summary>
    /// A GET whose body is handed to <paramref name="consume"/> as it arrives (an export of any size), never held whole.
    /// On failure the problem details, and <paramref name="consume"/> is not called.
    /// </summary>
    public async Task<ApiResult<NoContent>> DownloadAsync(
        string path, string? bearerToken, Func<Stream, CancellationToken, Task> consume, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        // Headers only: the timeout covers the server's first answer, not the length of the export.
        var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellation);
                return new ApiResult<NoContent>(response.StatusCode, null, ApiProblem.Parse(response.StatusCode, text));
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellation);
            try
            {
                await consume(body, cancellation);
            }
            catch (Exception e) when (e is HttpRequestException or HttpIOException or IOException && !cancellation.IsCancellationRequested)
            {
                throw CliException.Failure($"the download from {Server.ToString().TrimEnd('/')} broke off before its end ({e.Message}); run the command again");
            }

            return new ApiResult<NoContent>(response.StatusCode, NoContent.Value, null);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellation)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw CliException.Unreachable(Server, e.Message);
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw CliException.Unreachable(Server, $"no answer within {Timeout.TotalSeconds:0} s");
        }
    }
}
