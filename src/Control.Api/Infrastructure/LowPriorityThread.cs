using System.Runtime.InteropServices;

namespace Control.Api.Infrastructure;

/// <summary>
/// A background thread at the lowest scheduling priority (nice 19 on Linux, where nice applies per thread): work that must
/// not slow down requests gets only the CPU time they leave. Elsewhere, or if refused, the thread runs at normal priority.
/// </summary>
public static class LowPriorityThread
{
    public static Thread Start(string name, Action work)
    {
        var thread = new Thread(() =>
        {
            Lower();
            work();
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    private static void Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = SetPriority(0, GetThreadId(), 19);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "setpriority")]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
