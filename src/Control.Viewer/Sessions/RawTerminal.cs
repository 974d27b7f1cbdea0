using System.Runtime.InteropServices;

namespace Control.Viewer.Sessions;

/// <summary>
/// Puts the local terminal in raw mode for an interactive shell (every key, Ctrl-C included, goes to the remote
/// program; nothing is echoed locally) and restores the saved settings when disposed, whatever happens.
/// </summary>
internal sealed partial class RawTerminal : IDisposable
{
    private const int StandardInput = 0;
    private const int TCSANOW = 0;

    // struct termios is 60 bytes on Linux (glibc) and 72 on macOS; a larger opaque buffer holds either.
    private readonly byte[] _saved = new byte[256];
    private bool _active;

    private RawTerminal()
    {
    }

    /// <summary>Raw mode on standard input when it is a terminal on a Unix system; otherwise nothing changes.</summary>
    public static RawTerminal Enter(bool inputIsTerminal)
    {
        var terminal = new RawTerminal();
        if (!inputIsTerminal || OperatingSystem.IsWindows() || isatty(StandardInput) != 1)
        {
            return terminal;
        }

        if (tcgetattr(StandardInput, terminal._saved) == 0)
        {
            var raw = (byte[])terminal._saved.Clone();
            cfmakeraw(raw);
            terminal._active = tcsetattr(StandardInput, TCSANOW, raw) == 0;
        }

        return terminal;
    }

    public void Dispose()
    {
        if (_active)
        {
            _ = tcsetattr(StandardInput, TCSANOW, _saved);
            _active = false;
        }
    }

    [LibraryImport("libc")]
    private static partial int isatty(int fd);

    [LibraryImport("libc")]
    private static partial int tcgetattr(int fd, [Out] byte[] termios);

    [LibraryImport("libc")]
    private static partial int tcsetattr(int fd, int actions, byte[] termios);

    [LibraryImport("libc")]
    private static partial void cfmakeraw(byte[] termios);
}
