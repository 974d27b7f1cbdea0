using System.CommandLine;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control connect CLIENT [--connmode]</c>: opens and authenticates a session, shows how it is secured, and closes it.</summary>
internal static class ConnectCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var options = new SessionOptions();
        var connectionMode = new Option<bool>("--connmode")
        {
            Description = "Show the connection mode: TLS version and cipher suite, how the agent and you were verified, how the session was authenticated",
        };
        var command = new Command("connect", "Open a session to a client (mutual TLS, then its ACL, unattended password and 2FA) and show how it is secured")
        {
            options.Target, connectionMode,
        };
        foreach (var option in options.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellation) =>
        {
            await using var session = await options.OpenAsync(context, globals, parse, cancellation);
            await context.Out.WriteLineAsync($"Connected to client {session.Name}; session {session.Acceptance!.SessionId}");
            if (parse.GetValue(connectionMode))
            {
                foreach (var line in session.ConnectionMode())
                {
                    await context.Out.WriteLineAsync(line);
                }
            }

            await session.CloseAsync(cancellation);
            return Cli.Success;
        });
        return command;
    }
}
