using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Agent.Sessions;

/// <summary>Where a live session ends: on a new policy that no longer admits it, or when told to from another thread.</summary>
internal sealed partial class AgentSession
{
    /// <summary>Ends the session now (from another thread): the viewer is told why, the running process is killed.</summary>
    public void End(string reason)
    {
        if (Interlocked.CompareExchange(ref _endReason, reason, null) is null)
        {
            KillProcess();
            // Tell the viewer before cancelling: cancelling a pending WebSocket receive aborts the connection, and the
            // reason would be lost with it. The send is bounded (2 s), and this must not block the policy's thread.
            _ = Task.Run(async () =>
            {
                try
                {
                    if (_socket is not null)
                    {
                        await TrySendAsync(new SessionEnded(reason));
                    }
                }
                finally
                {
                    try
                    {
                        _ended.Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The session finished on its own meanwhile: nothing left to end.
                    }
                }
            }, CancellationToken.None);
        }
    }

    /// <summary>
    /// A new policy reached the agent (<see cref="SessionListener"/> hands it to every live session): the session ends at
    /// once when the policy no longer admits it as it was admitted, for the reasons <see cref="SessionAdmission.Recheck"/>
    /// gives: ended by an operator, no longer admitted, viewer certificate revoked, remember-token cleared or revoked, a
    /// channel or the login no longer permitted.
    /// </summary>
    public void Recheck(ClientPolicy policy)
    {
        if (_grant is { } grant)
        {
            SessionChannel[] open;
            lock (_open)
            {
                open = [.. _open];
            }

            if (SessionAdmission.Recheck(policy, grant, open) is { } reason)
            {
                End(reason);
            }
        }
    }
}
