using System.CommandLine;
using Control.Viewer.Infrastructure;
using Control.Viewer.Sessions;

namespace Control.Viewer.Commands.Sessions;

/// <summary>What every session command (connect, exec) takes, and how it opens the authenticated session.</summary>
internal sealed class SessionOptions
{
    public Argument<string> Target { get; } = new("CLIENT")
    {
        Description = "The client: its alias (kiosk1 or kiosk1@acme), its 9-digit number or its id",
    };

    public Option<bool> Remember { get; } = new("--remember")
    {
        Description = "After a password login, keep the remember-token the agent issues so the next session needs no password (not in exclusive mode; 'control tokens clear' kills it)",
    };

    public Option<string?> Reason { get; } = new("--reason")
    {
        Description = "Why you open this session; stored with it (some organizations require it)",
        HelpName = "TEXT",
    };

    public Option<string?> Login { get; } = new("--login")
    {
        Description = "The local account to run as on the client (one its policy permits; default: the first it permits)",
        HelpName = "NAME",
    };

    public IEnumerable<Option> Options => [Remember, Reason, Login];

    /// <summary>Finds the client (<see cref="AgentDirectory"/>), connects, and authenticates (asking for the password and code only when the agent needs them).</summary>
    public async Task<ViewerSession> OpenAsync(CliContext context, GlobalOptions globals, ParseResult parse, CancellationToken cancellation, string? client = null)
    {
        ViewerSession.PrepareTrustStore();
        using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
        PhaseTrace.Mark("credentials loaded");
        var target = (client ?? parse.GetValue(Target)!).Trim();
        var session = await AgentDirectory.ConnectAsync(context, api, target, cancellation);
        PhaseTrace.Mark("TLS session established");
        var agent = session.Agent;
        try
        {
            var name = session.Name;
            var credentials = new SessionCredentials(
                () => Prompt.Secret(context, $"Unattended password for client {name}: "),
                () => Prompt.Line(context, $"Authentication code for client {name}: "),
                RememberTokenStore.Find(context, agent.ClientId),
                parse.GetValue(Remember),
                parse.GetValue(Reason),
                Environment.MachineName,
                line => context.Error.WriteLine(line),
                parse.GetValue(Login)?.Trim());
            var accepted = await session.AuthenticateAsync(credentials, cancellation);
            PhaseTrace.Mark("authenticated");
            if (accepted.RememberToken is { } token)
            {
                RememberTokenStore.Save(context, agent.ClientId, token);
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }
}
