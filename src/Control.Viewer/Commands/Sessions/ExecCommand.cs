using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control exec CLIENT -- COMMAND [ARGS...]</c>: runs a program on the client (no shell), streams its output, exits with its code.</summary>
internal static class ExecCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new SessionOptions();
        var program = new Argument<string[]>("COMMAND")
        {
            Description = "The program and its arguments, run without a shell (put -- before it when it has options)",
            Arity = ArgumentArity.OneOrMore,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the connection mode on standard error first" };
        var command = new Command("exec", "Run a program on a client and stream its standard output and error; exits with the program's exit code")
        {
            options.Target, program, quiet,
        };
        foreach (var option in options.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellation) =>
        {
            var argv = parse.GetValue(program)!;
            await using var session = await options.OpenAsync(context, globals, parse, cancellation);
            if (!parse.GetValue(quiet))
            {
                foreach (var line in session.ConnectionMode())
                {
                    await context.Error.WriteLineAsync(line);
                }
            }

            await context.Out.FlushAsync(cancellation);
            await context.Error.FlushAsync(cancellation);
            var code = await session.ExecAsync(argv[0], argv[1..], context.OpenStandardOutput(), context.OpenStandardError(), cancellation);
            PhaseTrace.Mark("program exited");
            await session.CloseAsync(cancellation);
            PhaseTrace.Mark("session closed");
            return code;
        });
        return command;
    }
}
