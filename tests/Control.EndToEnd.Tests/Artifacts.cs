using System.Reflection;

namespace Control.EndToEnd.Tests;

/// <summary>Where the built API and CLI are: the same configuration and framework as this test assembly.</summary>
internal static class Artifacts
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string ApiDll => Output("src/Control.Api", "Control.Api.dll");

    public static string ViewerDll => Output("src/Control.Viewer", "control.dll");

    public static string AgentDll => Output("src/Control.Agent", "control-agent.dll");

    /// <summary>The <c>dotnet</c> host that runs these tests, so the processes use the same runtime.</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            {
                return host;
            }

            var current = Environment.ProcessPath;
            return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    private static string Output(string project, string file)
    {
        var path = Path.Combine(RepositoryRoot, project, "bin", Metadata("Configuration"), Metadata("TargetFramework"), file);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing: build the solution (dotnet build Control.sln -c {Metadata("Configuration")}) first.");
    }

    private static string Metadata(string key) =>
        typeof(Artifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Control.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Control.sln above {AppContext.BaseDirectory}.");
    }
}
