using System.Net;
using System.Net.Sockets;

namespace Control.EndToEnd.Tests;

/// <summary>The installed CLI's exit codes and messages where no server is involved (or none answers).</summary>
public sealed class CliWithoutServerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "control-e2e-cli-" + Guid.NewGuid().ToString("N")[..12]);

    private ControlCli Cli => new(Path.Combine(_root, "config"));

    [Fact]
    public async Task Operators_WithAnUnknownOption_Exits2AndPointsToHelp()
    {
        var run = (await Cli.RunAsync("operators", "list", "--frobnicate")).ShouldExit(2);

        Assert.Contains("--frobnicate", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("control operators list --help", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task WhoAmI_NeverSignedIn_Exits1AndSaysHowToSignIn()
    {
        var run = (await Cli.RunAsync("whoami")).ShouldExit(1);

        Assert.Equal("not signed in: run control login --server URL --org SLUG --user NAME", run.Stderr.Trim());
    }

    [Fact]
    public async Task Login_ServerNotListening_Exits1AndSaysItCannotReachIt()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var run = (await Cli.RunWithInputAsync(["Some-Password-123"], "login", "--server", $"http://127.0.0.1:{port}", "--org", "acme", "--user", "alice"))
            .ShouldExit(1);

        Assert.Contains($"cannot reach the server at http://127.0.0.1:{port}", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("is it running?", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
