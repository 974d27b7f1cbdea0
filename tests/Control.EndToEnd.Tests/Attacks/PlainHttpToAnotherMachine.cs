namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: anyone on the network between an operator and the API (a café's Wi-Fi, a hostile switch). Threat: the
/// operator points <c>control</c> at <c>http://</c> on another machine, and their password, second-factor code, access and
/// refresh tokens and every answer cross the network readable and changeable. The CLI refuses it, as the agent does, unless
/// the operator says <c>--allow-insecure-http</c> for a network they trust.
/// </summary>
public sealed class PlainHttpToAnotherMachine : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "control-e2e-http-" + Guid.NewGuid().ToString("N")[..12]);

    private ControlCli Cli => new(Path.Combine(_root, "config"));

    [Fact]
    public async Task Login_ToPlainHttpOnAnotherMachine_RefusedBeforeAskingForThePassword()
    {
        var run = (await Cli.RunWithInputAsync(["a password never typed"], "login", "--server", "http://10.1.2.3:8080", "--org", "acme", "--user", "alice"))
            .ShouldExit(2);

        Assert.Contains("'http://10.1.2.3:8080/' is plain http to another machine", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--allow-insecure-http", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Cli.CredentialsFile));
    }

    [Fact]
    public async Task Login_ToPlainHttpOnAnotherMachineWithAllowInsecureHttp_GoesAhead()
    {
        // The name never resolves (.invalid): getting as far as trying to connect is the point.
        var run = (await Cli.RunWithInputAsync(["a password"], "login", "--server", "http://control.invalid:9", "--allow-insecure-http", "--org", "acme", "--user", "alice"))
            .ShouldExit(1);

        Assert.Contains("cannot reach the server at http://control.invalid:9", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
