using System.Security.Cryptography;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Security;

namespace Control.Agent.Sessions;

/// <summary>
/// The client's TOTP for unattended access. The seed arrives in the policy encrypted to this agent's key; a code is
/// accepted only for a time step later than the last one accepted (kept on disk, so a restart does not reopen a
/// replay window), whichever viewer used it.
/// </summary>
internal sealed class TotpCheck(StateDirectory state, ECDsa agentKey, TimeProvider clock)
{
    private readonly Lock _gate = new();

    private sealed record TotpState(long LastAcceptedStep);

    public bool Accept(ClientPolicy policy, string? code)
    {
        if (policy.TwoFactor.EncryptedSecret is not { } encrypted)
        {
            return false;
        }

        byte[] seed;
        try
        {
            using var recipient = ECDiffieHellman.Create(agentKey.ExportParameters(includePrivateParameters: true));
            seed = PolicySecrets.Decrypt(recipient, encrypted, PolicySecrets.TotpContext(policy.ClientId));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return false;
        }

        try
        {
            lock (_gate)
            {
                var last = PrivateFile.ReadJson<TotpState>(state.TotpStateFile, AgentJson.Files)?.LastAcceptedStep ?? 0;
                if (!TotpRules.TryAccept(seed, code, clock.GetUtcNow(), last, out var step))
                {
                    return false;
                }

                PrivateFile.WriteJson(state.TotpStateFile, new TotpState(step), AgentJson.Files);
                return true;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
