using System.Net;
using System.Security.Cryptography.X509Certificates;
using Control.Domain.Contracts;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>
/// Finds where a client listens and which key to pin, and opens the TLS connection. A directory entry this account
/// got from the API less than <see cref="FreshFor"/> ago is used without asking the API again (with the stored viewer
/// certificate, when it is not due for renewal): every <c>control exec</c> would otherwise wait for a lookup whose answer
/// is almost always the same. When that connection fails (the agent moved to another port, or was re-enrolled with
/// another key), the API is asked and its answer used. Trust is unchanged: the key is the one the directory gave, the
/// viewer certificate is the short-lived one the API issued, and the agent checks it against the organization's CA and
/// revocations on every connection.
/// </summary>
internal static class AgentDirectory
{
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(10);

    public static async Task<ViewerSession> ConnectAsync(CliContext context, SignedInApi api, string target, CancellationToken cancellation)
    {
        if (!SessionRoles.Opens(api.Credentials.Role))
        {
            throw SessionRoles.NotForRole(api.Credentials.Role);
        }

        var known = KnownClients.Find(context, api.Credentials, target);
        CliException? savedEntryFailed = null;
        if (known is not null && context.Clock.GetUtcNow() - known.SavedAt < FreshFor && ViewerIdentity.Current(context, api.Credentials) is { } current)
        {
            PhaseTrace.Mark("saved directory entry and viewer certificate loaded");
            try
            {
                return await ViewerSession.ConnectAsync(known.Entry, current, cancellation);
            }
            catch (CliException e)
            {
                // Asked again below; if the API cannot be reached either, this is the failure to report.
                savedEntryFailed = e;
                PhaseTrace.Mark("saved directory entry failed: " + e.Message);
            }
        }

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
            PhaseTrace.Mark("directory looked up");
            KnownClients.Remember(context, api.Credentials, target, agent);
            identity = await ViewerIdentity.EnsureAsync(context, api, renew: false, cancellation);
            PhaseTrace.Mark("viewer certificate loaded");
        }
        catch (CliException e) when (e.Kind == CliFailureKind.Unreachable && savedEntryFailed is not null)
        {
            throw savedEntryFailed;
        }
        catch (CliException e) when (e.Kind == CliFailureKind.Unreachable && known is not null && ViewerIdentity.Stored(context, api) is { } stored)
        {
            // The API is down: the client seen before, pinned to the fingerprint the directory gave then.
            await context.Error.WriteLineAsync(
                $"warning: {api.Server.ToString().TrimEnd('/')} cannot be reached; using the directory entry for {target} saved earlier (key fingerprint {known.Entry.KeyFingerprint})");
            agent = known.Entry;
            identity = stored;
        }

        return await ViewerSession.ConnectAsync(agent, identity, cancellation);
    }
}
