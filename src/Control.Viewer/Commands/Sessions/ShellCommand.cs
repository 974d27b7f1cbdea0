using System.CommandLine;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Control.Viewer.Sessions;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control shell CLIENT</c>: an interactive shell on the client's pseudo-terminal, recorded there.</summary>
internal static class ShellCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new SessionOptions();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the connection mode first" };
        var command = new Command("shell", "Open an interactive shell on a client (a real terminal there; the session is recorded); exits with the shell's exit code")
        {
            options.Target, quiet,
        };
        foreach (var option in options.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = await options.OpenAsync(context, globals, parse, cancellation);
            if (!parse.GetValue(quiet))
            {
                foreach (var line in session.ConnectionMode())
                {
                    await context.Error.WriteLineAsync(line);
                }
            }

            var resizes = Channel.CreateUnbounded<(int, int)>();
            using var windowChanges = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal =>
            {
                signal.Cancel = true;
                resizes.Writer.TryWrite(WindowSize(context));
            });
            int code;
            using (RawTerminal.Enter(context.InputIsTerminal))
            {
                code = await session.ShellAsync(
                    context.Environment("TERM") ?? "xterm-256color", WindowSize(context), context.OpenStandardInput(), context.OpenStandardOutput(),
                    resizes.Reader, cancellation);
            }

            await session.CloseAsync(cancellation);
            return code;
        });
        return command;
    }

    private static (int Columns, int Rows) WindowSize(CliContext context)
    {
        if (context.InputIsTerminal && !Console.IsOutputRedirected)
        {
            try
            {
                return (Console.WindowWidth, Console.WindowHeight);
            }
            catch (IOException)
            {
            }
        }

        return (80, 24);
    }
}
