using Control.Viewer.Infrastructure;

namespace Control.Viewer.Tests;

// File modes are the point of these tests; Control runs operators' CLIs on Linux and macOS.
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "control-credential-tests-" + Guid.NewGuid().ToString("N"));

    private static Credentials Sample(string refreshToken = "acme.0123456789abcdef0123456789abcdef.refresh-secret") => new(
        new Uri("http://127.0.0.1:8080"), "acme", "alice", "owner",
        "access-token-secret", new DateTimeOffset(2026, 11, 25, 12, 15, 0, TimeSpan.Zero),
        refreshToken, new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Save_NewFolder_CreatesFolder0700AndFile0600()
    {
        var store = new CredentialStore(Path.Combine(_root, "config", "control"));

        store.Save(Sample());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal([CredentialStore.FileName], Directory.GetFiles(store.Directory).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_OverAWorldReadableFile_LeavesIt0600()
    {
        var store = new CredentialStore(Path.Combine(_root, "control"));
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(store.FilePath, "{}");
        File.SetUnixFileMode(store.FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        store.Save(Sample());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
    }

    [Fact]
    public void Load_AfterSave_ReturnsTheSameCredentials_AndDeleteRemovesThem()
    {
        var store = new CredentialStore(Path.Combine(_root, "control"));
        Assert.Null(store.Load());

        store.Save(Sample("first"));
        store.Save(Sample("second"));

        Assert.Equal(Sample("second"), store.Load());
        Assert.True(store.Delete());
        Assert.Null(store.Load());
        Assert.False(store.Delete());
    }

    [Fact]
    public void Load_DamagedFile_FailsWithAMessageNamingTheFile()
    {
        var store = new CredentialStore(Path.Combine(_root, "control"));
        Directory.CreateDirectory(store.Directory);
        File.WriteAllText(store.FilePath, "{ not json");

        var failure = Assert.Throws<CliException>(store.Load);

        Assert.Contains(store.FilePath, failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, failure.ExitCode);
    }

    [Fact]
    public void ToString_NeverShowsTokens()
    {
        var text = Sample().ToString();

        Assert.Equal("alice@acme (owner) on http://127.0.0.1:8080/", text);
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/explicit", "/xdg", "/home/alice", "/explicit")]
    [InlineData(null, "/xdg", "/home/alice", "/xdg/control")]
    [InlineData("", "/xdg", "/home/alice", "/xdg/control")]
    [InlineData(null, null, "/home/alice", "/home/alice/.config/control")]
    public void ResolveDirectory_PrefersControlConfigDirThenXdgThenHome(string? controlConfigDir, string? xdg, string home, string expected)
    {
        var environment = new Dictionary<string, string?> { ["CONTROL_CONFIG_DIR"] = controlConfigDir, ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = home };

        Assert.Equal(expected, CredentialStore.ResolveDirectory(name => environment.GetValueOrDefault(name)));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
