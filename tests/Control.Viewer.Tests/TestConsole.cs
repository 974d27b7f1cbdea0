using System.Net;
using System.Text;
using Control.Viewer;

namespace Control.Viewer.Tests;

/// <summary>
/// A CLI run in-process: typed answers on standard input, captured output, a private config folder, and an HTTP
/// handler standing in for the server (requests that reach it are recorded, so a test can prove none did).
/// </summary>
internal sealed class TestConsole : IDisposable
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    public TestConsole(params string[] inputLines)
    {
        ConfigDirectory = Path.Combine(Path.GetTempPath(), "control-viewer-tests-" + Guid.NewGuid().ToString("N"), "config");
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["CONTROL_CONFIG_DIR"] = ConfigDirectory };
        Input = string.Join('\n', inputLines) + (inputLines.Length > 0 ? "\n" : "");
    }

    public string ConfigDirectory { get; }

    public Dictionary<string, string?> Environment { get; }

    public string Input { get; }

    public StubServer Server { get; } = new();

    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    public CliContext Context => new()
    {
        In = new StringReader(Input),
        Out = _out,
        Error = _error,
        InputIsTerminal = false,
        Environment = name => Environment.GetValueOrDefault(name),
        Clock = new FixedClock(Now),
        CreateHttpHandler = () => Server,
    };

    /// <summary>A console whose stored credentials are an operator of "acme" with this role, signed in at <paramref name="now"/>.</summary>
    public static TestConsole SignedIn(DateTimeOffset now, string username, string role)
    {
        var console = new TestConsole() { Now = now };
        new Infrastructure.CredentialStore(console.ConfigDirectory).Save(new Infrastructure.Credentials(
            new Uri("http://127.0.0.1:8080"), "acme", username, role, "access", now.AddMinutes(10), "refresh", now.AddDays(7)));
        return console;
    }

    public async Task<int> RunAsync(params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await Cli.RunAsync(args, Context, timeout.Token);
    }

    public void Dispose()
    {
        _out.Dispose();
        _error.Dispose();
        var root = Path.GetDirectoryName(ConfigDirectory)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>Answers requests from a script of (method path -> status, JSON) routes, in order per route, and records them.</summary>
internal sealed class StubServer : HttpMessageHandler
{
    private readonly Dictionary<string, Queue<(HttpStatusCode Status, string Body)>> _routes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<string, (HttpStatusCode Status, string Body)>> _computed = new(StringComparer.Ordinal);

    /// <summary>Route is "METHOD /path" (what the script matches); Query is the query string, "" or "?a=b".</summary>
    public List<(string Route, string? Authorization, string Body, string Query)> Requests { get; } = [];

    public StubServer On(string route, HttpStatusCode status, string body = "")
    {
        if (!_routes.TryGetValue(route, out var answers))
        {
            _routes[route] = answers = new Queue<(HttpStatusCode, string)>();
        }

        answers.Enqueue((status, body));
        return this;
    }

    /// <summary>A route whose every answer is computed from the request body (for example, a certificate for the posted key).</summary>
    public StubServer On(string route, Func<string, (HttpStatusCode Status, string Body)> respond)
    {
        _computed[route] = respond;
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var route = $"{request.Method} {request.RequestUri!.AbsolutePath}";
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((route, request.Headers.Authorization?.ToString(), body, request.RequestUri.Query));
        if (_computed.TryGetValue(route, out var respond))
        {
            var (computedStatus, computedJson) = respond(body);
            return new HttpResponseMessage(computedStatus) { Content = new StringContent(computedJson, Encoding.UTF8, "application/json") };
        }

        if (!_routes.TryGetValue(route, out var answers) || answers.Count == 0)
        {
            throw new InvalidOperationException($"The test did not expect {route}.");
        }

        var (status, json) = answers.Dequeue();
        var contentType = (int)status >= 400 ? "application/problem+json" : "application/json";
        return new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, contentType) };
    }
}

/// <summary>JSON as the API writes it (reflection-based, web defaults), for scripted answers.</summary>
internal static class ApiJson
{
    public static readonly System.Text.Json.JsonSerializerOptions Options = new(System.Text.Json.JsonSerializerDefaults.Web);
}
