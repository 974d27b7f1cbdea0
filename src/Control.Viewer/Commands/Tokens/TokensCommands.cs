using System.CommandLine;

namespace Control.Viewer.Commands.Tokens;

/// <summary><c>control tokens ...</c>: the remember-tokens viewers hold for a client.</summary>
internal static class TokensCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("tokens", "Tokens that let viewers reconnect to a client without authenticating again") 
        {
            ListCommand.Create(context, globals),
            RevokeCommand.Create(context, globals),
            ClearCommand.Create(context, globals),
        };
}
