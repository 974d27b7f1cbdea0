using System.Diagnostics;
using System.Reflection;

namespace Control.EndToEnd.Tests;

/// <summary>
/// A real local account for sessions to run as (the agent switches to it: a session never runs as the agent). One per
/// test project and checkout, so that suites running side by side do not share one; created with useradd on first use and removed
/// with its home when the test process exits, since CI runs as root on a shared machine.
/// </summary>
public static class TestAccount
{
    private static readonly Lazy<string> Created = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The account's name, creating it on first use.</summary>
    public static string Name => Created.Value;

    /// <summary>Its home folder (where a session's relative paths land).</summary>
    public static string Home => Path.Combine("/home", Name);

    /// <summary>Runs a program as root, for account management and for checking what the account did; throws when it fails.</summary>
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error}");
        }

        return output;
    }

    private static string Create()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            throw new InvalidOperationException("session tests need root: the agent switches to the session's login (ops/test runs as root, as CI does)");
        }

        var project = Assembly.GetExecutingAssembly().GetName().Name!.Replace("Control.", "", StringComparison.Ordinal).Replace(".Tests", "", StringComparison.Ordinal);
        // Named for the project and its checkout, so that two checkouts' suites running side by side on one machine do not
        // remove each other's account.
        var checkout = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AppContext.BaseDirectory)))[..6];
        var name = $"ctl-{project.ToLowerInvariant()}-{checkout}";
        // A run killed before its cleanup leaves the account behind: start from a fresh one.
        Remove(name);
        Run("useradd", "--create-home", "--shell", "/bin/sh", "--comment", "Control test sessions", name);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Remove(name);
            }
            catch (InvalidOperationException)
            {
                // Nothing more to do at exit; the next run starts by removing it.
            }
        };
        return name;
    }

    private static void Remove(string name)
    {
        try
        {
            Run("getent", "passwd", name);
        }
        catch (InvalidOperationException)
        {
            return;
        }

        // Processes a killed session left behind would make userdel refuse (pkill exits 1 when there are none).
        try
        {
            Run("pkill", "--uid", name);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }

        Run("userdel", "--remove", name);
    }
}
