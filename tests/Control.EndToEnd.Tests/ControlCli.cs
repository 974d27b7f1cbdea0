namespace Control.EndToEnd.Tests;

/// <summary>
/// <c>dotnet control.dll ...</c> as one person at one machine: each instance has its own config folder (so its own
/// stored credentials), and answers prompts from the lines given.
/// </summary>
internal sealed class ControlCli(string configDirectory)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string ConfigDirectory { get; } = configDirectory;

    public string CredentialsFile => Path.Combine(ConfigDirectory, "credentials.json");

    public Task<ProcessRun> RunAsync(params string[] arguments) => RunWithInputAsync([], arguments);

    public Task<ProcessRun> RunWithInputAsync(string[] inputLines, params string[] arguments) =>
        ProcessRun.RunAsync(
            Artifacts.DotnetHost,
            [Artifacts.ViewerDll, .. arguments],
            new Dictionary<string, string?> { ["CONTROL_CONFIG_DIR"] = ConfigDirectory, ["DOTNET_NOLOGO"] = "1" },
            inputLines.Length == 0 ? null : string.Join('\n', inputLines) + "\n",
            Timeout);
}

internal static class ProcessRunAssertions
{
    /// <summary>Fails with the whole run (and any extra context, such as the API's log) when the exit code differs.</summary>
    public static ProcessRun ShouldExit(this ProcessRun run, int expected, Func<string>? context = null)
    {
        if (run.ExitCode != expected)
        {
            Assert.Fail($"Expected exit {expected}, got {run.ExitCode}.{Environment.NewLine}{run}{Environment.NewLine}{context?.Invoke()}");
        }

        return run;
    }
}
