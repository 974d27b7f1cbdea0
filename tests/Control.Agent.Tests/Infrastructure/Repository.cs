namespace Control.Agent.Tests;

/// <summary>The repository these tests were built from (for the files under ops/ they check).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Control.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("no Control.sln above " + AppContext.BaseDirectory);
    }
}
