using System.CommandLine;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators enable</c>.</summary>
internal static class EnableCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) => OperatorActionOptions.Verb(
        context, globals, "enable", "Enable a disabled operator again", "enable them",
        (name, state) => $"Enabled {name} ({state}). They can sign in again.");
}
