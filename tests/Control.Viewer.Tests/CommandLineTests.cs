namespace Control.Viewer.Tests;

/// <summary>Usage errors exit 2 with the parser's message and a pointer to --help, before anything reaches a server.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData("operators list --bogus", "--bogus", "control operators list --help")]
    [InlineData("", "Required command was not provided", "control --help")]
    [InlineData("operators", "Required command was not provided", "control operators --help")]
    [InlineData("operators invite bob --role wizard --reason hired", "wizard", "control operators invite --help")]
    [InlineData("operators invite bob --role technician", "--reason", "control operators invite --help")]
    [InlineData("operators disable bob --reason left --expected-version 0", "--expected-version", "control operators disable --help")]
    [InlineData("setup --server http://127.0.0.1:1 --org acme --name Acme --user alice", "exactly one of --token-file and --token", "control setup --help")]
    [InlineData("setup --org acme --name Acme --user alice --token t", "'--server' is required", "control setup --help")]
    [InlineData("activate --server http://127.0.0.1:1 --org acme --user bob", "--code", "control activate --help")]
    [InlineData("login --server ftp://example.org --org acme --user alice", "http:// or https://", "control login --help")]
    [InlineData("audit events --since yesterday", "'yesterday' is not a time", "control audit events --help")]
    [InlineData("audit events --limit 0", "--limit is between 1 and 500", "control audit events --help")]
    [InlineData("audit events --stream not-a-guid", "not-a-guid", "control audit events --help")]
    [InlineData("2fa confirm 12345", "6 digits", "control 2fa confirm --help")]
    public async Task Run_UsageError_Exits2WithMessageAndHelpHint(string commandLine, string message, string hint)
    {
        using var console = new TestConsole();

        var exitCode = await console.RunAsync(Split(commandLine));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, console.Error, StringComparison.Ordinal);
        Assert.Contains($"Run '{hint}' for usage.", console.Error, StringComparison.Ordinal);
        Assert.Equal("", console.Out);
        Assert.Empty(console.Server.Requests);
    }

    [Theory]
    [InlineData("--help", "operators")]
    [InlineData("operators invite --help", "--role <ROLE>")]
    [InlineData("audit events --help", "--since <TIME>")]
    public async Task Run_Help_Exits0AndDescribesTheCommand(string commandLine, string expected)
    {
        using var console = new TestConsole();

        var exitCode = await console.RunAsync(Split(commandLine));

        Assert.Equal(0, exitCode);
        Assert.Contains(expected, console.Out, StringComparison.Ordinal);
        Assert.Empty(console.Server.Requests);
    }

    [Fact]
    public void Build_EveryOptionAndCommand_HasADescription()
    {
        using var console = new TestConsole();
        var missing = new List<string>();

        void Visit(System.CommandLine.Command command, string path)
        {
            if (string.IsNullOrWhiteSpace(command.Description))
            {
                missing.Add(path);
            }

            missing.AddRange(command.Options.Where(o => string.IsNullOrWhiteSpace(o.Description)).Select(o => $"{path} {o.Name}"));
            missing.AddRange(command.Arguments.Where(a => string.IsNullOrWhiteSpace(a.Description)).Select(a => $"{path} {a.Name}"));
            foreach (var sub in command.Subcommands)
            {
                Visit(sub, $"{path} {sub.Name}");
            }
        }

        Visit(Cli.Build(console.Context), "control");

        Assert.Empty(missing);
    }

    [Fact]
    public async Task Run_WhoAmIWithoutCredentials_Exits1AndSaysHowToSignIn()
    {
        using var console = new TestConsole();

        var exitCode = await console.RunAsync("whoami");

        Assert.Equal(1, exitCode);
        Assert.Equal("not signed in: run control login --server URL --org SLUG --user NAME", console.Error.Trim());
        Assert.Empty(console.Server.Requests);
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
