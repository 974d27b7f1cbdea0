using System.Diagnostics;
using System.Globalization;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// With <c>CONTROL_TRACE_TIMING=1</c>, one line per phase of a command on standard error, in milliseconds since the
/// process started (as the kernel counts it, so the runtime's own start-up shows in the first figure). For measuring
/// where a <c>control exec</c> spends its time; silent and free otherwise.
/// </summary>
internal static class PhaseTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("CONTROL_TRACE_TIMING") == "1";
    private static readonly DateTime Started = Enabled ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    public static void Mark(string phase)
    {
        if (Enabled)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trace: {(DateTime.UtcNow - Started).TotalMilliseconds,7:F1} ms  {phase}"));
        }
    }
}
