namespace Control.Agent.Storage;

/// <summary>
/// The agent's state directory and the files in it. Everything here is either a secret (credential, private key) or
/// security state (the policy in force), so the folder is created 0700 and every file is written 0600.
/// </summary>
internal sealed class StateDirectory(string path)
{
    public const string EnvironmentVariable = "CONTROL_AGENT_STATE_DIR";
    public const string SystemPath = "/var/lib/control-agent";
    private const string FolderName = "control-agent";

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string EnrolmentFile => Combine("agent.json");

    public string KeyFile => Combine("agent.key");

    /// <summary>The new key while enrolment is in flight: it becomes <see cref="KeyFile"/> only once the server accepted it.</summary>
    public string PendingKeyFile => Combine("agent.key.pending");

    public string PolicyFile => Combine("policy.json");

    public string StatusFile => Combine("status.json");

    /// <summary>Hashes of the remember-tokens this agent issued (0600).</summary>
    public string RememberTokensFile => Combine("remember-tokens.json");

    /// <summary>Shell session recordings (asciicast v2, 0600), one file per session.</summary>
    public string RecordingsDirectory => Combine("recordings");

    /// <summary>The durable queue of session events not yet acknowledged by the API (segment files, 0600).</summary>
    public string SessionEventsDirectory => Combine("session-events");

    /// <summary>One marker per session in progress (admitted, not yet closed), so a restart can close what a crash left open.</summary>
    public string OpenSessionsDirectory => Combine("open-sessions");

    /// <summary>Finished recordings waiting for their upload: one marker per session, deleted once the API stored it.</summary>
    public string PendingRecordingsDirectory => Combine("pending-recordings");

    /// <summary>The last TOTP time step accepted for unattended access (replay protection that survives a restart).</summary>
    public string TotpStateFile => Combine("totp-state.json");

    /// <summary>The running daemon's local control socket (0600): attended-mode requests are listed and answered through it.</summary>
    public string ControlSocket => Combine("control.sock");

    private string LockFile => Combine("agent.lock");

    public static StateDirectory Resolve(string? option) =>
        Resolve(option, Environment.GetEnvironmentVariable, Environment.IsPrivilegedProcess);

    /// <summary>--state-dir, else $CONTROL_AGENT_STATE_DIR, else the system location for root, else the user's XDG state home.</summary>
    public static StateDirectory Resolve(string? option, Func<string, string?> environment, bool privileged)
    {
        if (NonEmpty(option) is { } explicitPath)
        {
            return new StateDirectory(explicitPath);
        }

        if (NonEmpty(environment(EnvironmentVariable)) is { } configured)
        {
            return new StateDirectory(configured);
        }

        if (OperatingSystem.IsWindows())
        {
            var folder = privileged ? Environment.SpecialFolder.CommonApplicationData : Environment.SpecialFolder.LocalApplicationData;
            return new StateDirectory(System.IO.Path.Combine(Environment.GetFolderPath(folder), FolderName));
        }

        if (privileged)
        {
            return new StateDirectory(SystemPath);
        }

        if (NonEmpty(environment("XDG_STATE_HOME")) is { } xdg)
        {
            return new StateDirectory(System.IO.Path.Combine(xdg, FolderName));
        }

        var home = NonEmpty(environment("HOME")) ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new StateDirectory(System.IO.Path.Combine(home, ".local", "state", FolderName));
    }

    public void EnsureExists()
    {
        if (Directory.Exists(Path))
        {
            // Left as it is (systemd's StateDirectory= may own it); the files in it are 0600 whatever the folder's mode.
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }

        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } parent)
        {
            Directory.CreateDirectory(parent);
        }

        Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// An exclusive advisory lock (flock on Unix) held while a process owns the state: two agents polling with one
    /// credential, or an enrolment replacing the key under a running agent, would corrupt it. Null when someone else holds it.
    /// </summary>
    public IDisposable? TryLock()
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile.OwnerOnly;
        }

        try
        {
            return new FileStream(LockFile, options);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
