using System.Security.Cryptography;
using Control.Agent.Storage;
using Control.Domain.Common;

namespace Control.Agent.Sessions;

/// <summary>A remember-token this agent issued; only its SHA-256 is kept.</summary>
internal sealed record RememberToken(string Id, string Hash, string ViewerAlias, string? Device, long Epoch, DateTimeOffset IssuedAt);

/// <summary>
/// Remember-tokens let a viewer that logged in once with the unattended password come back without it (never in
/// exclusive mode). Each is bound to the client's token epoch at issue: "clear all tokens" raises the epoch in the
/// policy and every earlier token is dead. Each is also bound to the viewer alias it was issued to.
/// </summary>
internal sealed class RememberTokens(StateDirectory state)
{
    private readonly Lock _gate = new();

    /// <summary>A new token (shown only to the viewer) and its id (for the audit trail and revocation).</summary>
    public (string Token, string Id) Issue(string viewerAlias, string? device, long epoch, DateTimeOffset now)
    {
        var token = "ctl-rem." + Secrets.NewToken();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        lock (_gate)
        {
            var tokens = Load().Where(t => t.Epoch >= epoch).ToList();
            tokens.Add(new RememberToken(id, Secrets.HashToken(token), viewerAlias, device, epoch, now));
            PrivateFile.WriteJson(state.RememberTokensFile, tokens, AgentJson.Files);
        }

        return (token, id);
    }

    /// <summary>The token's record when it is valid for this viewer under the current epoch and not revoked, else null.</summary>
    public RememberToken? Find(string presented, string viewerAlias, long epoch, IReadOnlyCollection<string> revokedIds)
    {
        var hash = Secrets.HashToken(presented);
        lock (_gate)
        {
            // Compare every hash in constant time; the list is short.
            RememberToken? found = null;
            foreach (var token in Load())
            {
                if (Secrets.HashesEqual(token.Hash, hash))
                {
                    found = token;
                }
            }

            return found is not null && found.Epoch == epoch && string.Equals(found.ViewerAlias, viewerAlias, StringComparison.Ordinal)
                && !revokedIds.Contains(found.Id, StringComparer.Ordinal)
                ? found
                : null;
        }
    }

    private List<RememberToken> Load() => PrivateFile.ReadJson<List<RememberToken>>(state.RememberTokensFile, AgentJson.Files) ?? [];
}
