using System.CommandLine;

namespace Control.Viewer.Commands.Audit;

/// <summary><c>control audit ...</c>: the security history of your organization.</summary>
internal static class AuditCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("audit", "Read the audit trail: who changed what, when, why; who connected where; export both; verify that it was not tampered with")
        {
            EventsCommand.Create(context, globals),
            SessionsCommand.Create(context, globals),
            ExportCommand.Create(context, globals),
            VerifyCommand.Create(context, globals),
            AnchorCommand.Create(context, globals),
        };
}
