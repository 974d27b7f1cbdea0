using System.CommandLine;

namespace Control.Viewer.Commands.Sessions;

/// <summary><c>control sessions ...</c>: the session history the agents reported (who connected where, how, what happened).</summary>
internal static class SessionsCommands
{
    public static Command Create(CliContext context, GlobalOptions globals) =>
        new("sessions", "Session history and live sessions: list them, show one, replay a recorded shell session, end a live one")
        {
            SessionsListCommand.Create(context, globals),
            SessionsShowCommand.Create(context, globals),
            SessionsReplayCommand.Create(context, globals),
            SessionsKillCommand.Create(context, globals),
        };

    public static Argument<Guid> SessionId() => new("ID") { Description = "The session's id (from 'control sessions list')" };

    public static string Duration(long? milliseconds) => milliseconds is { } ms
        ? TimeSpan.FromMilliseconds(ms) switch
        {
            { TotalHours: >= 1 } t => $"{(int)t.TotalHours}h{t.Minutes:00}m",
            { TotalMinutes: >= 1 } t => $"{t.Minutes}m{t.Seconds:00}s",
            var t => $"{t.TotalSeconds:0.#}s",
        }
        : "-";

    public static string Outcome(Control.Domain.Contracts.SessionSummaryView s) => s switch
    {
        { DeniedReason: { } reason } => "denied: " + reason,
        { Live: true } => "live",
        { ClosedAt: not null } => $"ended by {s.EndedBy}" + (s.EndReason is { } why ? $" ({why})" : ""),
        { AuthenticatedAt: null } => "requested",
        _ => "admitted",
    };
}
