using System.CommandLine;
using System.Globalization;
using Control.Domain.Common;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control sessions show ID</c>: everything known about one session.</summary>
internal static class SessionsShowCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var id = SessionsCommands.SessionId();
        var json = GlobalOptions.Json();
        var command = new Command("show", "Show one session: viewer, source, justification, how admitted, channels, files, how it ended") { id, json };
        command.SetAction(async (parse, cancellation) =>
        {
            using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
            var session = await api.GetAsync<SessionSummaryView>($"sessions/{parse.GetValue(id)}", cancellation);
            if (parse.GetValue(json))
            {
                Output.WriteJson(context.Out, session);
                return Cli.Success;
            }

            await WriteAsync(context.Out, session);
            return Cli.Success;
        });
        return command;
    }

    public static async Task WriteAsync(TextWriter output, SessionSummaryView s)
    {
        var lines = new List<(string Label, string Value)>
        {
            ("id", s.SessionId.ToString()),
            ("client", $"{s.ClientAlias ?? "-"} ({s.ClientNumber ?? s.ClientId.ToString()})"),
            ("viewer", s.ViewerAlias ?? "-"),
            ("source", s.Source ?? "-"),
            ("justification", s.Justification ?? "-"),
            ("requested", Output.Time(s.RequestedAt)),
            ("authenticated", s.AuthenticatedAt is null ? "-" : $"{Output.Time(s.AuthenticatedAt)} by {string.Join(" + ", s.Methods)}"),
            ("login", s.Login is null ? "-" : s.Login == Domain.Sessions.SessionLogins.Root ? "root (full control of the client)" : s.Login),
            ("outcome", SessionsCommands.Outcome(s)),
            ("closed", Output.Time(s.ClosedAt)),
            ("duration", SessionsCommands.Duration(s.DurationMilliseconds)),
            ("channels", s.Channels.Count == 0 ? "-" : string.Join(", ", s.Channels)),
            ("bytes", string.Create(CultureInfo.InvariantCulture, $"{s.BytesFromViewer} from viewer, {s.BytesToViewer} to viewer")),
            ("recording", s.HasRecording ? $"yes (control sessions replay {s.SessionId})" : "no"),
            ("files", s.Files.Count == 0 ? "-" : s.Files.Count.ToString(CultureInfo.InvariantCulture)),
        };
        var width = lines.Max(l => l.Label.Length) + 2;
        foreach (var (label, value) in lines)
        {
            // Viewer, source, justification and file paths come from a viewer or an agent: inert before a terminal sees them.
            await output.WriteLineAsync((label + ":").PadRight(width) + UntrustedText.Inert(value));
        }

        foreach (var file in s.Files)
        {
            await output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture, $"{new string(' ', width + 2)}{UntrustedText.Inert(file.Direction)} {UntrustedText.Inert(file.Path)} {file.Size} bytes sha256 {UntrustedText.Inert(file.Sha256)}"));
        }
    }
}
