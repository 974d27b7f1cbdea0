using System.CommandLine;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary>
/// <c>control audit export events|sessions</c>: the server's CSV or JSON Lines, copied to a file or standard output as it
/// arrives (never parsed, never held whole). A file appears under its name only once complete.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("export", "Export security changes or session history as CSV or JSON Lines (streamed; columns in the README)")
        {
            Verb(context, globals, "events", "security changes", AuditFilters.Events(context)),
            Verb(context, globals, "sessions", "session history", AuditFilters.Sessions(context)),
        };

    private static Command Verb(CliContext context, GlobalOptions globals, string name, string what, AuditFilters filters)
    {
        var format = new Option<string>("--format")
        {
            Description = "csv (RFC 4180, UTF-8, header row) or jsonl (one JSON object per line)",
            HelpName = "csv|jsonl",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "jsonl");
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write to this file instead of standard output", HelpName = "FILE" };
        var command = new Command(name, $"Export {what}, newest first, with the same filters as 'control audit {name}'");
        filters.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(output);

        command.SetAction(async (parse, cancellation) =>
        {
            var path = $"audit/{name}/export" + filters.Query(parse, ("format", parse.GetValue(format)));
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            if (parse.GetValue(output) is not { } file)
            {
                await api.DownloadAsync(path, async (body, ct) =>
                {
                    await using var stdout = context.OpenStandardOutput();
                    await body.CopyToAsync(stdout, ct);
                }, cancellation);
                return Cli.Success;
            }

            var partial = file.FullName + ".partial";
            try
            {
                long bytes = 0;
                await api.DownloadAsync(path, async (body, ct) =>
                {
                    await using var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    await body.CopyToAsync(target, ct);
                    bytes = target.Length;
                }, cancellation);
                File.Move(partial, file.FullName, overwrite: true);
                await context.Error.WriteLineAsync($"Wrote {bytes} bytes to {file.FullName}.");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.Failure($"cannot write {file.FullName}: {e.Message}");
            }
            finally
            {
                File.Delete(partial);
            }

            return Cli.Success;
        });
        return command;
    }
}
