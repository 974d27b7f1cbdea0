using System.Runtime.InteropServices;

namespace Control.Agent.Platform;

/// <summary>
/// A local account from the machine's account database (getpwnam_r, so NSS sources such as LDAP or SSSD count too):
/// what a session running as it needs before it runs anything.
/// </summary>
internal sealed partial record LocalAccount(string Name, uint UserId, uint GroupId, string Home, string Shell)
{
    private const int ERANGE = 34;

    public bool IsRoot => UserId == 0;

    /// <summary>The account's login shell when it is a usable program; else /bin/sh (as sshd does for an empty field).</summary>
    public string LoginShell => Shell.Length > 0 && File.Exists(Shell) ? Shell : "/bin/sh";

    /// <summary>The account's home when it exists; else / (OpenSSH's fallback).</summary>
    public string WorkingDirectory => Home.Length > 0 && Directory.Exists(Home) ? Home : "/";

    /// <summary>What a program of this account's session starts with: nothing of the agent's own environment.</summary>
    public Dictionary<string, string> Environment(Guid sessionId) => new(StringComparer.Ordinal)
    {
        ["HOME"] = WorkingDirectory,
        ["USER"] = Name,
        ["LOGNAME"] = Name,
        ["SHELL"] = LoginShell,
        ["PATH"] = IsRoot ? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" : "/usr/local/bin:/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["CONTROL_SESSION"] = sessionId.ToString(),
    };

    /// <summary>
    /// A program run as this account, its standard streams piped to the agent. The runtime switches the child to the
    /// account between fork and exec (supplementary groups from the account database, then gid, then uid), so nothing of
    /// it ever runs with the agent's rights; it starts in the account's home with the account's environment only.
    /// </summary>
    public System.Diagnostics.ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, Guid sessionId)
    {
        var start = new System.Diagnostics.ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            UserName = Name,
            WorkingDirectory = WorkingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in Environment(sessionId))
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The account named <paramref name="name"/>, or null when the machine has none.</summary>
    public static unsafe LocalAccount? Find(string name)
    {
        var size = 1024;
        while (size <= 1 << 20)
        {
            var buffer = new byte[size];
            Passwd entry;
            IntPtr result;
            int error;
            fixed (byte* pointer = buffer)
            {
                error = getpwnam_r(name, out entry, pointer, (nuint)buffer.Length, out result);
                if (error == 0 && result != IntPtr.Zero)
                {
                    return new LocalAccount(
                        Marshal.PtrToStringUTF8(entry.Name) ?? name, entry.UserId, entry.GroupId,
                        Marshal.PtrToStringUTF8(entry.Home) ?? "", Marshal.PtrToStringUTF8(entry.Shell) ?? "");
                }
            }

            if (error != ERANGE)
            {
                return null;
            }

            size *= 4;
        }

        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint UserId;
        public uint GroupId;
        public IntPtr Gecos;
        public IntPtr Home;
        public IntPtr Shell;
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int getpwnam_r(string name, out Passwd entry, byte* buffer, nuint size, out IntPtr result);
}
