using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace Control.EndToEnd.Tests;

/// <summary>
/// The API as a real process (<c>dotnet Control.Api.dll</c>) on a fresh PostgreSQL database and a free loopback port,
/// with its own data folder and master key. Killed, and its database dropped, at the end.
/// </summary>
public class ApiProcess : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _adminConnection;
    private Process? _process;
    private Dictionary<string, string?> _environment = [];

    public ApiProcess()
    {
        _adminConnection = Environment.GetEnvironmentVariable("CONTROL_TEST_CONNECTION") is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException(
                "CONTROL_TEST_CONNECTION is not set. The end-to-end tests need a PostgreSQL role that may create databases: " +
                "run them with ops/test, which starts a throwaway cluster and sets it.");
        Root = Path.Combine(Path.GetTempPath(), "control-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        DataDirectory = Path.Combine(Root, "data");
        Database = "e2e_" + Guid.NewGuid().ToString("N")[..16];
    }

    public string Root { get; }

    public string DataDirectory { get; }

    public string Database { get; }

    public Uri Server { get; private set; } = null!;

    /// <summary>The API's database, for a test that plays someone with direct database access.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_adminConnection) { Database = Database }.ConnectionString;

    public string BootstrapTokenFile => Path.Combine(DataDirectory, "bootstrap-token");

    /// <summary>The API's output so far, for failure messages.</summary>
    public string Log => $"--- API log ({Server}) ---{Environment.NewLine}{string.Join(Environment.NewLine, _log.TakeLast(80))}";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        await using (var admin = new NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var port = FreeLoopbackPort();
        Server = new Uri($"http://127.0.0.1:{port}");
        _environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Control"] = ConnectionString,
            ["Control__DataDirectory"] = DataDirectory,
            ["Control__MasterKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["ASPNETCORE_URLS"] = Server.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var (key, value) in Settings())
        {
            _environment[key] = value;
        }

        await StartAsync(firstStart: true);
    }

    /// <summary>Further environment settings of a fixture that needs them.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    /// <summary>Starts the API (again, after <see cref="KillAsync"/>) on the same database, port and master key.</summary>
    public async Task StartAsync(bool firstStart = false)
    {
        _process = new Process { StartInfo = ProcessRun.StartInfo(Artifacts.DotnetHost, [Artifacts.ApiDll], _environment, Root) };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(firstStart);
    }

    /// <summary>Kills the API process for real (SIGKILL), as a crash or a pulled plug would.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(exit.Token);
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(exit.Token);
            }

            _process.Dispose();
            _process = null;
        }

        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(_adminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>Only a safety net: xunit calls <see cref="DisposeAsync"/>, which also drops the database.</summary>
    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
        }

        _process?.Dispose();
        _process = null;
        GC.SuppressFinalize(this);
    }

    private async Task WaitUntilReadyAsync(bool firstStart)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_process.ExitCode} before it was ready.{Environment.NewLine}{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Server, "/health/ready"));
                // The bootstrap token is written by a hosted service during start; setup needs it.
                if (response.StatusCode == HttpStatusCode.OK && (!firstStart || File.Exists(BootstrapTokenFile)))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"The API was not ready within {ReadyTimeout.TotalSeconds} s.{Environment.NewLine}{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 500 && _log.TryDequeue(out _))
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
