using Control.Domain.Contracts;

namespace Control.Agent.Sessions;

/// <summary>
/// The policy this agent enforces right now, shared between the policy follower (which replaces it) and the session
/// listener (which checks every new session against it and re-checks live sessions whenever it changes).
/// </summary>
internal sealed class PolicyInForce
{
    private SignedPolicy? _current;

    public ClientPolicy? Current => Volatile.Read(ref _current)?.Policy;

    /// <summary>Raised after each replacement, on the follower's thread; handlers must not block.</summary>
    public event Action<ClientPolicy>? Changed;

    public void Replace(SignedPolicy? signed)
    {
        Volatile.Write(ref _current, signed);
        if (signed is not null)
        {
            Changed?.Invoke(signed.Policy);
        }
    }
}
