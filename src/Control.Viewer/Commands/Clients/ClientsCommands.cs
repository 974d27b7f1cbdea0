using System.CommandLine;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients ...</c>: the machines enrolled in your organization (the address book).</summary>
internal static class ClientsCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("clients", "List and inspect enrolled clients; tag them, take their license off, or remove them")
        {
            ListCommand.Create(context, globals),
            ShowCommand.Create(context, globals),
            TagCommand.Create(context, globals),
            RemoveCommand.Create(context, globals),
            RemoveLicenseCommand.Create(context, globals),
        };
}
