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

    /// <summary>
    /// The running daemon's local control socket: attended-mode requests are listed and answered through it. It lives
    /// outside the state directory, which is the agent's alone, so that the person at the machine can reach it; the agent
    /// checks each caller's account (SO_PEERCRED). The system agent's is in its runtime directory (systemd's
    /// RuntimeDirectory=control-agent), any other's beside its state directory.
    /// </summary>
    public string ControlSocket => Path == SystemPath ? "/run/control-agent/control.sock" : Path + ".sock";

    private string LockFile => Combine("agent.lock");

    public static StateDirectory Resolve(string? option) =>
        Resolve(option, Environment.GetEnvironmentVariable, Environment.IsPrivilegedProcess);

    /// <summary>
    /// For the person at the machine (control-agent pending/accept/deny), who is usually not root: the system agent's
    /// when it is installed and nothing else is named, since that is the agent whose requests they answer.
    /// </summary>
    public static StateDirectory ResolveForAttended(string? option) =>
        NonEmpty(option) is null && NonEmpty(Environment.GetEnvironmentVariable(EnvironmentVariable)) is null && Directory.Exists(SystemPath)
            ? new StateDirectory(SystemPath)
            : Resolve(option);

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

    /// <summary>
    /// Why the state cannot be trusted to be the agent's own, or null. A session never runs as the agent, so nothing but
    /// the agent (or root) can have written a file here; one that another account owns or may write could carry a forged
    /// policy key, policy or queued audit, and the agent refuses to start on it. Group or other read access to the folder
    /// is taken away (0700) rather than refused: nothing could have been planted through it.
    /// </summary>
    public string? Untrusted()
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(Path))
        {
            return null;
        }

        var me = Platform.FileOwnership.EffectiveUserId;
        var entries = Directory.EnumerateFileSystemEntries(Path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 });
        foreach (var entry in entries.Prepend(Path))
        {
            if (Platform.FileOwnership.Of(entry) is not { } file)
            {
                continue; // gone meanwhile
            }

            if (file.SymbolicLink)
            {
                return $"{entry} is a symbolic link";
            }

            if (file.Owner != me && file.Owner != 0)
            {
                return $"{entry} belongs to another account (uid {file.Owner})";
            }

            if ((file.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return $"{entry} is writable by other accounts";
            }
        }

        if ((Platform.FileOwnership.Of(Path)!.Value.Mode & (UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute)) != 0)
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return null;
    }

    private string Combine(string name) => System.IO.Path.Combine(Path, name);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
