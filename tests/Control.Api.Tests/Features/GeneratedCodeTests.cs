using System.Diagnostics;

namespace Control.Api.Tests.Features;

/// <summary>
/// Production loads the endpoint code generated ahead of time (src/Control.Api/Internal/Generated) and refuses to
/// start without it. This regenerates it with the real `codegen write` command and compares with what is committed.
/// </summary>
public class GeneratedCodeTests
{
    [Fact]
    public async Task Committed_generated_code_matches_a_fresh_codegen_run()
    {
        var committed = Path.Combine(RepositoryRoot(), "src", "Control.Api", "Internal", "Generated");
        var fresh = Path.Combine(Path.GetTempPath(), "control-codegen-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Control.Api.dll"), "codegen", "write"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                Environment =
                {
                    ["ConnectionStrings__Control"] = "Host=127.0.0.1;Port=1;Database=unused;Username=unused;Password=unused",
                    ["Control__MasterKey"] = Convert.ToBase64String(new byte[32]),
                    ["Control__GeneratedCodeOutputPath"] = fresh,
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"codegen write failed: {await output}{await errors}");

            var expected = Files(committed);
            var actual = Files(fresh);
            Assert.True(expected.Keys.Order().SequenceEqual(actual.Keys.Order()),
                $"Generated files differ; run ops/codegen and commit. Committed: {string.Join(", ", expected.Keys)}; fresh: {string.Join(", ", actual.Keys)}");
            foreach (var (name, text) in actual)
            {
                Assert.True(expected[name] == text, $"{name} is stale; run ops/codegen and commit the result.");
            }
        }
        finally
        {
            if (Directory.Exists(fresh))
            {
                Directory.Delete(fresh, recursive: true);
            }
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => File.ReadAllText(f).ReplaceLineEndings());

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Control.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Control.sln not found above the test binaries.");
    }
}
