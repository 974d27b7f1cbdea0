using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Control.Agent.Sessions;

/// <summary>
/// A shell on a real pseudo-terminal: <c>posix_openpt</c>/<c>grantpt</c>/<c>unlockpt</c> for the pair, then
/// <c>posix_spawn</c> with <c>POSIX_SPAWN_SETSID</c> opening the secondary side as fds 0-2, so it becomes the new
/// session's controlling terminal (job control, Ctrl-C, window size all work). No fork of the .NET process: spawning
/// keeps the runtime's threads and locks out of the child.
/// </summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    private const int O_RDWR = 2;
    private const int O_NOCTTY = 0x100;
    private const int O_CLOEXEC = 0x80000;
    private const short POSIX_SPAWN_SETSID = 0x80;
    private const ulong TIOCSWINSZ = 0x5414;
    private const int WNOHANG = 1;
    private const int EINTR = 4;

    private readonly SafeFileHandle _primary;
    private int _exitCode = -1;
    private bool _exited;

    private PseudoTerminal(SafeFileHandle primary, int processId)
    {
        _primary = primary;
        ProcessId = processId;
        Stream = new FileStream(primary, FileAccess.ReadWrite, bufferSize: 0, isAsync: false);
    }

    public int ProcessId { get; }

    /// <summary>Reads what the program writes to its terminal; writes are its keyboard input.</summary>
    public FileStream Stream { get; }

    /// <summary>Where util-linux installs setpriv (an essential package on Debian and its kin).</summary>
    private static readonly string[] SetprivLocations = ["/usr/bin/setpriv", "/bin/setpriv"];

    /// <summary>
    /// A login shell of <paramref name="account"/> on a new terminal. posix_spawn cannot change credentials, and a fork of
    /// the .NET process must not run managed code, so the child is util-linux's <c>setpriv</c>: it takes the account's
    /// supplementary groups (initgroups), gid and uid, then execs the shell, which keeps the terminal the spawn opened as
    /// its controlling terminal. The terminal itself is given to the account (as sshd does), so that it is the user's own.
    /// </summary>
    public static PseudoTerminal StartAs(
        Platform.LocalAccount account, string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, ushort columns, ushort rows)
    {
        var setpriv = SetprivLocations.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("setpriv (util-linux) is missing on the client: it switches the shell to its login");
        string[] switched =
        [
            "--reuid", account.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--regid", account.GroupId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--init-groups", "--", program, .. arguments,
        ];
        return Start(setpriv, switched, environment, account.WorkingDirectory, columns, rows, account.UserId);
    }

    private static PseudoTerminal Start(
        string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, ushort columns, ushort rows,
        uint? terminalOwner = null)
    {
        var primaryFd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (primaryFd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "posix_openpt failed");
        }

        var primary = new SafeFileHandle(primaryFd, ownsHandle: true);
        try
        {
            if (grantpt(primaryFd) != 0 || unlockpt(primaryFd) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "grantpt/unlockpt failed");
            }

            var name = new byte[128];
            if (ptsname_r(primaryFd, name, name.Length) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "ptsname_r failed");
            }

            Resize(primaryFd, columns, rows);
            var secondary = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            if (terminalOwner is { } owner && !Platform.FileOwnership.ChangeOwner(secondary, owner, uint.MaxValue))
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"cannot give {secondary} to its login");
            }

            var processId = Spawn(program, arguments, environment, workingDirectory, secondary);
            return new PseudoTerminal(primary, processId);
        }
        catch
        {
            primary.Dispose();
            throw;
        }
    }

    public void Resize(ushort columns, ushort rows) => Resize((int)_primary.DangerousGetHandle(), columns, rows);

    /// <summary>The exit code once the program has ended (a signal counts as 128 + its number), else null. Reaps it.</summary>
    public int? TryGetExitCode()
    {
        if (_exited)
        {
            return _exitCode;
        }

        int result;
        int status;
        do
        {
            result = waitpid(ProcessId, out status, WNOHANG);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (result != ProcessId)
        {
            return null;
        }

        _exited = true;
        var signal = status & 0x7f;
        _exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        return _exitCode;
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellation)
    {
        while (true)
        {
            if (TryGetExitCode() is { } code)
            {
                return code;
            }

            await Task.Delay(20, cancellation);
        }
    }

    /// <summary>Ends the program and everything in its session (it is the session leader: its process group id is its pid).</summary>
    public void Kill()
    {
        if (!_exited)
        {
            _ = kill(-ProcessId, 9);
            _ = kill(ProcessId, 9);
        }
    }

    public void Dispose()
    {
        Kill();
        Stream.Dispose();
        _primary.Dispose();
        for (var i = 0; i < 50 && TryGetExitCode() is null; i++)
        {
            Thread.Sleep(10);
        }
    }

    private static void Resize(int fd, ushort columns, ushort rows)
    {
        var size = new WindowSize { Rows = rows, Columns = columns };
        _ = ioctl(fd, TIOCSWINSZ, ref size);
    }

    private static unsafe int Spawn(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string secondary)
    {
        var actions = stackalloc byte[256];
        var attributes = stackalloc byte[512];
        Check(posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        Check(posix_spawnattr_init(attributes), "posix_spawnattr_init");
        var strings = new List<IntPtr>();
        try
        {
            // Opened in the child after setsid, without O_NOCTTY: the terminal becomes its controlling terminal.
            Check(posix_spawn_file_actions_addopen(actions, 0, secondary, O_RDWR, 0), "addopen");
            Check(posix_spawn_file_actions_adddup2(actions, 0, 1), "adddup2");
            Check(posix_spawn_file_actions_adddup2(actions, 0, 2), "adddup2");
            Check(posix_spawn_file_actions_addchdir_np(actions, workingDirectory), "addchdir");
            Check(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSID), "setflags");

            IntPtr Native(string text)
            {
                var pointer = Marshal.StringToCoTaskMemUTF8(text);
                strings.Add(pointer);
                return pointer;
            }

            var argv = new IntPtr[arguments.Count + 2];
            argv[0] = Native(program);
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i + 1] = Native(arguments[i]);
            }

            var envp = environment.Select(pair => Native($"{pair.Key}={pair.Value}")).Append(IntPtr.Zero).ToArray();
            int processId;
            fixed (IntPtr* argvPointer = argv)
            fixed (IntPtr* envpPointer = envp)
            {
                var error = posix_spawnp(out processId, program, actions, attributes, argvPointer, envpPointer);
                if (error != 0)
                {
                    throw new Win32Exception(error, $"cannot start {program}");
                }
            }

            return processId;
        }
        finally
        {
            foreach (var pointer in strings)
            {
                Marshal.FreeCoTaskMem(pointer);
            }

            _ = posix_spawn_file_actions_destroy(actions);
            _ = posix_spawnattr_destroy(attributes);
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new Win32Exception(error, what + " failed");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ptsname_r(int fd, [Out] byte[] buffer, nint length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, ref WindowSize size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawn_file_actions_addopen(byte* actions, int fd, string path, int flags, uint mode);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawn_file_actions_adddup2(byte* actions, int fd, int newFd);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawn_file_actions_addchdir_np(byte* actions, string path);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_init(byte* attributes);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_destroy(byte* attributes);

    [LibraryImport("libc")]
    private static unsafe partial int posix_spawnattr_setflags(byte* attributes, short flags);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int posix_spawnp(out int pid, string file, byte* actions, byte* attributes, IntPtr* argv, IntPtr* envp);
}
