using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Audit;

/// <summary>
/// <c>control audit verify</c>: the server recomputes the organization's audit hash chain; with <c>--anchor</c> this
/// command also checks the kept anchor's signature against the organization's key and has the server check that the
/// anchored entry still has the anchored hash. Exit code 3 when anything does not verify.
/// </summary>
internal static class VerifyCommand
{
    public const int BrokenExitCode = 3;

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var anchorFile = new Option<FileInfo?>("--anchor")
        {
            Description = "Also check an anchor saved earlier with 'control audit anchor --output FILE'",
            HelpName = "FILE",
        };
        var json = GlobalOptions.Json();
        var command = new Command(
            "verify", $"Recompute the audit hash chain: 'intact' or the first broken link (edited, deleted, swapped or inserted rows); exit code {BrokenExitCode} when broken")
        {
            anchorFile, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var query = "";
            if (parse.GetValue(anchorFile) is { } file)
            {
                var anchor = Read(file);
                if (!string.Equals(anchor.Organization, api.Credentials.Organization, StringComparison.Ordinal))
                {
                    throw CliException.Failure($"the anchor in {file.Name} is of organization {anchor.Organization}; you are signed in to {api.Credentials.Organization}");
                }

                // The key to trust is the organization's, as the server knows it, not whatever key the file names.
                var current = await api.GetAsync<AuditAnchor>("audit/anchor", cancellation);
                var refusal = !string.Equals(anchor.PublicKey, current.PublicKey, StringComparison.Ordinal)
                    ? $"the anchor was signed with key {anchor.KeyId}, not the organization's key {current.KeyId}"
                    : !AuditAnchorSignature.Verify(anchor, current.PublicKey)
                        ? "the anchor's signature does not verify with the organization's key: the file was altered"
                        : null;
                if (refusal is not null)
                {
                    await context.Out.WriteLineAsync($"BROKEN: {refusal}");
                    return BrokenExitCode;
                }

                query = string.Create(CultureInfo.InvariantCulture, $"?anchorEntry={anchor.Entry}&anchorHash={anchor.Hash}");
            }

            var result = await api.GetAsync<AuditChainVerification>("audit/verify" + query, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, result);
            }
            else
            {
                await Print(context.Out, result);
            }

            return result.Intact ? Cli.Success : BrokenExitCode;
        });
        return command;
    }

    private static AuditAnchor Read(FileInfo file)
    {
        try
        {
            var anchor = JsonSerializer.Deserialize(File.ReadAllText(file.FullName), ViewerJson.Info<AuditAnchor>(Output.Json));
            if (anchor is { Organization: not null, Hash: not null, Signature: not null, PublicKey: not null } && AuditAnchorSignature.IsHash(anchor.Hash))
            {
                return anchor;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Failure($"cannot read the anchor file {file.FullName}: {e.Message}");
        }
        catch (JsonException)
        {
        }

        throw CliException.Failure($"{file.FullName} is not an anchor: save one with 'control audit anchor --output FILE'");
    }

    private static async Task Print(TextWriter output, AuditChainVerification result)
    {
        if (result.Break is { } broken)
        {
            await output.WriteLineAsync($"BROKEN at entry {broken.Entry} ({broken.Problem}): {broken.Detail}");
            await output.WriteLineAsync($"{result.Entries} entries before it verify.");
        }
        else
        {
            await output.WriteLineAsync($"intact: {result.Entries} entries, head {result.Head}");
        }

        if (result.Anchor is { } anchor)
        {
            await output.WriteLineAsync(anchor.Matches ? $"anchor: {anchor.Detail}" : $"BROKEN anchor: {anchor.Detail}");
        }
    }
}
