using Control.Domain.Contracts;

namespace Control.Agent.Sessions;

/// <summary>
/// The policy this agent enforces right now, shared between the policy follower (which replaces it) and the session
/// listener (which checks every new session against it and re-checks live sessions whenever it changes).
/// </summary>
internal sealed class PolicyInForce
{
    private ClientPolicy? _current;

    public ClientPolicy? Current => Volatile.Read(ref _current);

    /// <summary>Raised after each replacement, on the follower's thread; handlers must not block.</summary>
    public event Action<ClientPolicy>? Changed;

    public void Replace(ClientPolicy? policy)
    {
        Volatile.Write(ref _current, policy);
        if (policy is not null)
        {
            Changed?.Invoke(policy);
        }
    }
}
