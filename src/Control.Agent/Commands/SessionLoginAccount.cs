using System.Diagnostics;
using Control.Agent.Platform;
using Control.Domain.Sessions;

namespace Control.Agent.Commands;

/// <summary>
/// The account a new client's sessions run as by default (<see cref="SessionLogins.Default"/>): an ordinary, unprivileged
/// account with a home and a shell and no password (nobody logs in as it but through Control). Enrolment creates it with
/// the distribution's <c>useradd</c>, so that a session works on a fresh machine without handing anyone the agent's rights.
/// </summary>
internal static class SessionLoginAccount
{
    public static async Task EnsureAsync(TextWriter output, TextWriter errors, CancellationToken cancellation)
    {
        var name = SessionLogins.Default;
        if (LocalAccount.Find(name) is not null)
        {
            output.WriteLine($"Sessions run as the local account {name} by default (it exists already).");
            return;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            output.WriteLine($"Note: sessions need the agent to run as root and a local account to run as; {name} (the default login) does not exist: create it (useradd --create-home {name}) or permit another login.");
            return;
        }

        var start = new ProcessStartInfo("useradd")
        {
            ArgumentList = { "--create-home", "--shell", "/bin/bash", "--comment", "Control sessions", name },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync(cancellation);
            await process.WaitForExitAsync(cancellation);
            if (process.ExitCode == 0)
            {
                output.WriteLine($"Created the local account {name}: sessions run as it by default (the policy's logins name others).");
                return;
            }

            errors.WriteLine($"warning: could not create the local account {name} (useradd: {error.Trim()}); sessions as {name} are refused until it exists.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            errors.WriteLine($"warning: could not run useradd to create {name} ({e.Message}); sessions as {name} are refused until it exists.");
        }
    }
}
