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
    [InlineData("acl enable kiosk1 --where tag=kiosk --reason r", "exactly one of CLIENT and --where", "control acl enable --help")]
    [InlineData("acl enable --reason r", "exactly one of CLIENT and --where", "control acl enable --help")]
    [InlineData("acl add kiosk1 *-support@acme --where tag=kiosk --reason r", "exactly one of CLIENT and --where", "control acl add --help")]
    [InlineData("clients remove --reason gone", "exactly one of CLIENT and --where", "control clients remove --help")]
    [InlineData("acl enable kiosk1", "'--reason' is required", "control acl enable --help")]
    [InlineData("acl add --where tag=kiosk *@acme", "'--reason' is required", "control acl add --help")]
    [InlineData("license reset", "'--reason' is required", "control license reset --help")]
    [InlineData("client-2fa enroll kiosk1", "'--reason' is required", "control client-2fa enroll --help")]
    [InlineData("acl enable --where tag=kiosk --reason r --expected-version 3", "cannot be combined with --where", "control acl enable --help")]
    [InlineData("acl enable kiosk1 --reason r --expected-version 0", "--expected-version", "control acl enable --help")]
    [InlineData("acl enable --where kiosk --reason r", "--where takes tag=NAME", "control acl enable --help")]
    [InlineData("acl enable --where tag=Bad! --reason r", "--where takes tag=NAME", "control acl enable --help")]
    [InlineData("acl add kiosk1 alice --reason r", "'alice' is not an alias", "control acl add --help")]
    [InlineData("acl add --where tag=kiosk alice --reason r", "'alice' is not an alias", "control acl add --help")]
    [InlineData("permissions set kiosk1 --exec on --shell off --reason r", "'--file-transfer' is required", "control permissions set --help")]
    [InlineData("permissions set kiosk1 --shell off --file-transfer on --reason r", "'--exec' is required", "control permissions set --help")]
    [InlineData("permissions set kiosk1 --exec yes --shell off --file-transfer on --reason r", "'yes' not recognized", "control permissions set --help")]
    [InlineData("permissions set --exec on --shell on --file-transfer on --reason r", "exactly one of CLIENT and --where", "control permissions set --help")]
    [InlineData("unattended exclusive kiosk1 --reason r", "exactly one of --on and --off", "control unattended exclusive --help")]
    [InlineData("unattended exclusive kiosk1 --on --off --reason r", "exactly one of --on and --off", "control unattended exclusive --help")]
    [InlineData("unattended rotate-password --where tag=kiosk --password-prompt --reason r", "its own generated password", "control unattended rotate-password --help")]
    [InlineData("clients tag kiosk1 --reason r", "or --clear, not both and not neither", "control clients tag --help")]
    [InlineData("clients tag kiosk1 lobby --clear --reason r", "or --clear, not both and not neither", "control clients tag --help")]
    [InlineData("clients tag kiosk1 lobby,Bad! --reason r", "'Bad!' is not a tag", "control clients tag --help")]
    [InlineData("clients list --tag Bad!", "--tag: a tag is", "control clients list --help")]
    [InlineData("clients show", "Required argument missing", "control clients show --help")]
    [InlineData("client-2fa confirm kiosk1 12345 --reason r", "6 digits", "control client-2fa confirm --help")]
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
    [InlineData("--help", "client-2fa")]
    [InlineData("acl add --help", "--where <tag=NAME>")]
    [InlineData("org acl add --help", "--allow-everyone")]
    [InlineData("org --help", "acl")]
    [InlineData("permissions set --help", "--file-transfer <on|off> (REQUIRED)")]
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
