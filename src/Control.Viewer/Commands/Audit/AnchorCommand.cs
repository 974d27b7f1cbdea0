using System.CommandLine;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary><c>control audit anchor</c>: the audit chain's current head, signed with the organization's key, to keep elsewhere.</summary>
internal static class AnchorCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var output = new Option<FileInfo?>("--output")
        {
            Description = "Also save the signed anchor (JSON) to this file; keep it outside this system for 'control audit verify --anchor'",
            HelpName = "FILE",
        };
        var json = GlobalOptions.Json();
        var command = new Command("anchor", "Print the audit chain's head (entry number and hash) signed with the organization's key") { output, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var anchor = await api.GetAsync<AuditAnchor>("audit/anchor", cancellation);
            if (parse.GetValue(output) is { } file)
            {
                try
                {
                    await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(anchor, ViewerJson.Info<AuditAnchor>(Output.Json)) + "\n", cancellation);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw CliException.Failure($"cannot write the anchor to {file.FullName}: {e.Message}");
                }
            }

            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, anchor);
                return Cli.Success;
            }

            await context.Out.WriteLineAsync($"organization {anchor.Organization}: entry {anchor.Entry}, head {anchor.Hash}");
            await context.Out.WriteLineAsync($"signed {Output.Time(anchor.SignedAt)} with key {anchor.KeyId}: {anchor.Signature}");
            await context.Error.WriteLineAsync(parse.GetValue(output) is { } saved
                ? $"Saved to {saved.FullName}. Keep a copy outside this system; check it with: control audit verify --anchor {saved.Name}"
                : "Keep this outside the system (or use --output FILE); check it later with: control audit verify --anchor FILE");
            return Cli.Success;
        });
        return command;
    }
}
