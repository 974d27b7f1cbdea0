using Control.Agent.Platform;

namespace Control.Agent.Sessions;

/// <summary>
/// The account a session runs as. The agent runs as root (as sshd does) so that it can switch to the session's login,
/// and a session never runs as the agent itself: an agent that cannot switch accounts serves no sessions.
/// </summary>
internal static class SessionAccounts
{
    public static (LocalAccount? Account, string? Refusal) Resolve(string login)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return (null, $"the agent does not run as root, so it cannot start a session as {login} (a session never runs as the agent)");
        }

        return LocalAccount.Find(login) is { } account
            ? (account, null)
            : (null, $"the login {login} does not exist on this machine");
    }
}
