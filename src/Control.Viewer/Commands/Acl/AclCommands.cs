using System.CommandLine;
using Control.Domain.Access;

namespace Control.Viewer.Commands.Acl;

/// <summary><c>control acl ...</c>: which viewers may connect to a client.</summary>
internal static class AclCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("acl", "A client's access-control list: which viewers (aliases, wildcard aliases, client ids) may connect to it")
        {
            ListCommand.Create(context, globals),
            AddCommand.Create(context, globals),
            RemoveCommand.Create(context, globals),
            EnableCommand.Create(context, globals),
            DisableCommand.Create(context, globals),
        };

    public static readonly IReadOnlyDictionary<string, string> Fields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["entry"] = "ENTRY",
        ["allowEveryone"] = "--allow-everyone",
    };

    /// <summary>ENTRY, checked with the server's own rule so a typo is a usage error before anything is sent.</summary>
    public static Argument<string> EntryArgument(string description) => new("ENTRY")
    {
        Description = description,
        Validators =
        {
            result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (!AclEntry.TryParse(text, out _, out var error))
                {
                    result.AddError(error);
                }
            },
        },
    };

    /// <summary>An entry as the server stores it (trimmed, lower case).</summary>
    public static string Normalize(string entry) => entry.Trim().ToLowerInvariant();
}
