using System.CommandLine;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary><c>control clients show CLIENT</c>: every setting of one client.</summary>
internal static class ShowCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var client = ClientTarget.Argument();
        var json = GlobalOptions.Json();
        var command = new Command(
            "show", "Show one client: identity, tags, policy and liveness, ACL, unattended access, tokens, 2FA, session permissions") { client, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var detail = await ClientTarget.SendAsync<ClientDetail>(api, HttpMethod.Get, parse.GetValue(client)!, "", null, cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, detail);
                return Cli.Success;
            }

            await WriteAsync(context.Out, detail);
            return Cli.Success;
        });
        return command;
    }

    public static async Task WriteAsync(TextWriter output, ClientDetail detail)
    {
        var summary = detail.Summary;
        var lines = new List<(string Label, string Value)>
        {
            ("number", summary.Number),
            ("alias", summary.Alias ?? "-"),
            ("hostname", summary.Hostname ?? "-"),
            ("id", summary.Id.ToString()),
            ("status", ListCommand.Status(summary)),
            ("tags", summary.Tags.Count == 0 ? "-" : string.Join(", ", summary.Tags)),
            ("enrolled", Output.Time(detail.EnrolledAt)),
            ("last seen", ListCommand.LastSeen(summary)),
            ("policy", Policy(summary)),
            ("key", "SHA-256 " + detail.KeyFingerprint),
            ("version", ClientTarget.Version(summary.Version) + " (for --expected-version)"),
            ("acl", Acl(detail.AclEnabled, detail.AclEntries.Count)),
            ("unattended", Unattended(detail)),
            ("tokens", $"epoch {ClientTarget.Version(detail.TokenEpoch)} (remembered tokens from earlier epochs are void)"),
            ("2fa", detail.TwoFactorEnabled ? "on (unattended access also asks for a TOTP code)" : "off"),
            ("permissions", Permissions(detail.Permissions)),
            ("logins", Logins(detail.Permissions.Logins)),
        };
        var width = lines.Max(l => l.Label.Length) + 2;
        foreach (var (label, value) in lines)
        {
            // The hostname is what the agent reported at enrolment: inert before a terminal sees it.
            await output.WriteLineAsync((label + ":").PadRight(width) + UntrustedText.Inert(value));
            if (label == "acl")
            {
                foreach (var entry in detail.AclEntries)
                {
                    await output.WriteLineAsync(new string(' ', width + 2) + UntrustedText.Inert(entry));
                }
            }
        }
    }

    public static string Permissions(PolicyPermissions p) =>
        $"exec {ClientTarget.OnOff(p.Exec)}, shell {ClientTarget.OnOff(p.Shell)}, file transfer {ClientTarget.OnOff(p.FileTransfer)}";

    /// <summary>The accounts sessions may run as, the default first; root is named for what it is.</summary>
    public static string Logins(IReadOnlyList<string>? logins) => logins is not { Count: > 0 }
        ? "none (no session is admitted)"
        : string.Join(", ", logins.Select((l, i) => (i == 0 ? l + " (default)" : l) + (l == Domain.Sessions.SessionLogins.Root ? " [full control of the client]" : "")));

    /// <summary>The ACL's state in words; the entries follow one per line.</summary>
    public static string Acl(bool enabled, int entries) => (enabled, entries) switch
    {
        (true, 0) => "on, no entries yet (add them with 'control acl add')",
        (true, _) => "on: only viewers matching an entry below are admitted",
        (false, 0) => "off",
        (false, _) => "off: the entries below are kept but not enforced",
    };

    private static string Policy(ClientSummary summary)
    {
        var latest = ClientTarget.Version(summary.LatestPolicyVersion);
        return summary.EnforcedPolicyVersion switch
        {
            null => $"version {latest}; the agent has not confirmed enforcing any version yet",
            { } enforced when enforced == summary.LatestPolicyVersion => $"version {latest}, enforced by the agent",
            { } enforced => $"version {latest}; the agent still enforces version {ClientTarget.Version(enforced)}",
        };
    }

    private static string Unattended(ClientDetail detail)
    {
        var password = detail.UnattendedPasswordSet ? "password set" : "no password";
        return detail.UnattendedEnabled
            ? $"on, {password}, exclusive {ClientTarget.OnOff(detail.UnattendedExclusive)}"
            : $"off ({password}, exclusive {ClientTarget.OnOff(detail.UnattendedExclusive)})";
    }
}
