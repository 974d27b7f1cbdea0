using System.Runtime.InteropServices;

namespace Control.Agent.Platform;

/// <summary>Who owns a file and who may write it (statx, which has one layout on every architecture, unlike struct stat).</summary>
internal static partial class FileOwnership
{
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_BASIC_STATS = 0x7ff;
    private const ushort S_IFMT = 0xF000;
    private const ushort S_IFLNK = 0xA000;

    /// <summary>The owner, the mode bits and whether it is a symbolic link (not followed); null when it does not exist.</summary>
    public static (uint Owner, UnixFileMode Mode, bool SymbolicLink)? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        // struct statx: stx_uid at byte 20, stx_mode (16 bits) at byte 28.
        var owner = BitConverter.ToUInt32(buffer[20..24]);
        var mode = BitConverter.ToUInt16(buffer[28..30]);
        return (owner, (UnixFileMode)(mode & 0xFFF), (mode & S_IFMT) == S_IFLNK);
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => geteuid();

    /// <summary>Gives the file to an account (a session's terminal belongs to the login, as sshd makes it).</summary>
    public static bool ChangeOwner(string path, uint owner, uint group) => chown(path, owner, group) == 0;

    /// <summary>Sets this process's file-creation mask; returns the previous one.</summary>
    public static uint SetCreationMask(uint mask) => umask(mask);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);

    [LibraryImport("libc")]
    private static partial uint geteuid();

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int chown(string path, uint owner, uint group);

    [LibraryImport("libc")]
    private static partial uint umask(uint mask);
}
