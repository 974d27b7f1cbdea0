using System.CommandLine;

namespace Control.Viewer.Commands.Operators;

/// <summary><c>control operators disable</c>.</summary>
internal static class DisableCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) => OperatorActionOptions.Verb(
        context, globals, "disable", "Disable an operator: every session of theirs ends at once; they cannot sign in until enabled", "disable them",
        (name, state) => $"Disabled {name} ({state}). Every session of theirs has ended.");
}
