using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Control.Domain.Contracts;
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

    public IEnumerable<Option> Options => [Remember, Reason];

    /// <summary>Looks the client up in the directory, connects, and authenticates (asking for the password and code only when the agent needs them).</summary>
    public async Task<ViewerSession> OpenAsync(CliContext context, GlobalOptions globals, ParseResult parse, CancellationToken cancellation, string? client = null)
    {
        using var api = SignedInApi.Open(context, parse.GetValue(globals.Server));
        var target = (client ?? parse.GetValue(Target)!).Trim();
        DirectoryEntry agent;
        X509Certificate2 identity;
        try
        {
            var lookup = await api.SendAsync<DirectoryEntry>(HttpMethod.Get, $"directory/{Uri.EscapeDataString(target)}", null, cancellation);
            if (lookup.Status == HttpStatusCode.NotFound)
            {
                throw CliException.Failure($"{lookup.Problem?.Detail ?? $"no client '{target}' in your organization"} (see 'control clients list')");
            }

            agent = lookup.Require();
            KnownClients.Remember(context, target, agent);
            identity = await ViewerIdentity.EnsureAsync(context, api, renew: false, cancellation);
        }
        catch (CliException e) when (e.Kind == CliFailureKind.Unreachable && KnownClients.Find(context, target) is { } known
            && ViewerIdentity.Stored(context, api) is { } stored)
        {
            // The API is down: the client seen before, pinned to the fingerprint the directory gave then.
            await context.Error.WriteLineAsync($"warning: {api.Server.ToString().TrimEnd('/')} cannot be reached; using the directory entry for {target} saved earlier (key fingerprint {known.KeyFingerprint})");
            agent = known;
            identity = stored;
        }

        var session = await ViewerSession.ConnectAsync(agent, identity, cancellation);
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
                line => context.Error.WriteLine(line));
            var accepted = await session.AuthenticateAsync(credentials, cancellation);
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
