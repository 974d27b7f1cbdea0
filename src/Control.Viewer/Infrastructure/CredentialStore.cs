using System.Text.Json;

namespace Control.Viewer.Infrastructure;

/// <summary>What <c>control login</c> keeps between commands. Tokens are bearer secrets: never print this record.</summary>
internal sealed record Credentials(
    Uri Server, string Organization, string Username, string Role,
    string AccessToken, DateTimeOffset AccessTokenExpiresAt, string RefreshToken, DateTimeOffset RefreshTokenExpiresAt)
{
    public string QualifiedName => $"{Username}@{Organization}";

    public LoginHint Hint => new(Server, Organization, Username);

    // The compiler's ToString would list the tokens; a stray log line must not leak them.
    public override string ToString() => $"{QualifiedName} ({Role}) on {Server}";
}

/// <summary>
/// The credentials file: <c>credentials.json</c> in <c>$CONTROL_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/control</c>,
/// else <c>~/.config/control</c>. The file is 0600 and a folder created here is 0700, like ssh keys: anyone who can
/// read the refresh token is this operator for a week.
/// </summary>
internal sealed class CredentialStore(string directory)
{
    public const string FileName = "credentials.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, TypeInfoResolver = ViewerJsonContext.Default };

    public string Directory { get; } = directory;

    public string FilePath => Path.Combine(Directory, FileName);

    public static CredentialStore For(CliContext context) => new(ResolveDirectory(context.Environment));

    public static string ResolveDirectory(Func<string, string?> environment)
    {
        if (NonEmpty(environment("CONTROL_CONFIG_DIR")) is { } explicitDirectory)
        {
            return Path.GetFullPath(explicitDirectory);
        }

        if (NonEmpty(environment("XDG_CONFIG_HOME")) is { } xdg)
        {
            return Path.GetFullPath(Path.Combine(xdg, "control"));
        }

        var home = NonEmpty(environment("HOME")) ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return Path.GetFullPath(Path.Combine(home, ".config", "control"));
    }

    public Credentials? Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(FilePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, ViewerJson.Info<Credentials>(Json));
        }
        catch (JsonException)
        {
            throw CliException.Failure($"the credentials file {FilePath} is damaged; delete it (or run control logout) and sign in again");
        }
    }

    public void Save(Credentials credentials) => WritePrivate(FileName, JsonSerializer.SerializeToUtf8Bytes(credentials, ViewerJson.Info<Credentials>(Json)));

    /// <summary>
    /// Writes a file of this folder through a private temporary file renamed over the old one: a reader never sees half a
    /// file, and a secret never sits in a file with looser permissions (0600), not even for a moment.
    /// </summary>
    public void WritePrivate(string fileName, ReadOnlySpan<byte> content)
    {
        CreateDirectory();
        var path = Path.Combine(Directory, fileName);
        var temporary = Path.Combine(Directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The text of a file of this folder, or null when there is none.</summary>
    public string? ReadText(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void DeleteFile(string fileName) => File.Delete(Path.Combine(Directory, fileName));

    /// <summary>
    /// Holds an exclusive lock (an advisory <c>flock</c> on Unix) on <c>credentials.lock</c> until disposed, so that two
    /// <c>control</c> processes never redeem the same refresh token: the server would see the second use as a stolen copy
    /// and end the session. Waits at most <paramref name="timeout"/>.
    /// </summary>
    public async Task<IDisposable> LockAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        CreateDirectory();
        var path = Path.Combine(Directory, "credentials.lock");
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation);
            }
            catch (IOException e)
            {
                throw CliException.Failure($"another control process has held {path} for over {timeout.TotalSeconds:0} s ({e.Message}); try again");
            }
        }
    }

    /// <summary>Removes the credentials file; true when there was one.</summary>
    public bool Delete()
    {
        if (!File.Exists(FilePath))
        {
            return false;
        }

        File.Delete(FilePath);
        return true;
    }

    private void CreateDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            // An existing folder is left as it is: CONTROL_CONFIG_DIR may point at a shared one, and the file is 0600 anyway.
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            // Parents (e.g. ~/.config) get the usual mode; only the folder of the secrets is private.
            var parent = Path.GetDirectoryName(Directory);
            if (!string.IsNullOrEmpty(parent))
            {
                System.IO.Directory.CreateDirectory(parent);
            }

            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
