using System.Text;

namespace Control.Viewer.Infrastructure;

/// <summary>
/// Questions to the person at the keyboard, asked on standard error. At a terminal, secrets are read key by key
/// without echo; with redirected input (scripts, tests) each answer is one line of standard input.
/// </summary>
internal static class Prompt
{
    public static string Secret(CliContext context, string label)
    {
        context.Error.Write(label);
        context.Error.Flush();
        if (!context.InputIsTerminal)
        {
            var answer = ReadLine(context, label);
            context.Error.WriteLine();
            return answer;
        }

        var secret = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        context.Error.WriteLine();
        return secret.ToString();
    }

    /// <summary>A new password, typed twice so a typo does not lock the person out.</summary>
    public static string NewPassword(CliContext context, string label = "New password: ")
    {
        var first = Secret(context, label);
        var second = Secret(context, "Repeat it: ");
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw CliException.Failure("the two passwords differ; nothing was changed");
        }

        if (first.Length == 0)
        {
            throw CliException.Failure("the password is empty; nothing was changed");
        }

        return first;
    }

    /// <summary>An answer that may be shown while typed (a one-time code).</summary>
    public static string Line(CliContext context, string label)
    {
        context.Error.Write(label);
        context.Error.Flush();
        var answer = ReadLine(context, label).Trim();
        if (!context.InputIsTerminal)
        {
            context.Error.WriteLine();
        }

        return answer;
    }

    private static string ReadLine(CliContext context, string label)
    {
        var line = context.In.ReadLine();
        if (line is null)
        {
            context.Error.WriteLine();
            throw CliException.Failure($"standard input ended before an answer to \"{label.TrimEnd(' ', ':')}\"");
        }

        return line.TrimEnd('\r');
    }
}
