using System.Text.RegularExpressions;

namespace Control.Domain.Sessions;

/// <summary>
/// The local accounts a session on a client may run as (its policy's logins; the viewer picks one, the first by default).
/// A session never runs as the agent: the agent switches to the login before anything of the session runs.
/// </summary>
public static partial class SessionLogins
{
    /// <summary>
    /// A new client's only login: an unprivileged account that <c>control-agent enroll</c> creates when it is missing (or the
    /// machine's administrator, with <c>--no-login-account</c>).
    /// </summary>
    public const string Default = "control-session";

    /// <summary>The superuser: permitted only where the policy names it, and the audit says "as root".</summary>
    public const string Root = "root";

    public const int MaxLogins = 16;

    /// <summary>What a valid list of logins is, for whoever refuses one.</summary>
    public static readonly string ListRule =
        $"Name 1 to {MaxLogins} local accounts (lowercase letters, digits, '_' or '-', at most 32 characters), the default first.";

    /// <summary>Whether this is a login name the agent will look up (POSIX portable user names, as useradd takes them).</summary>
    public static bool IsValid(string? login) => login is not null && LoginPattern().IsMatch(login);

    /// <summary>The login a viewer asked for, or the policy's first when it asked for none; null when none is permitted.</summary>
    public static string? Choose(IReadOnlyList<string> permitted, string? requested) =>
        string.IsNullOrEmpty(requested) ? (permitted.Count > 0 ? permitted[0] : null) : requested;

    /// <summary>Why the policy does not let a session run as <paramref name="login"/>, or null.</summary>
    public static string? Refuse(IReadOnlyList<string> permitted, string? login) => login switch
    {
        null => "no login is permitted on this client",
        _ when !IsValid(login) => "the requested login is not a valid account name",
        _ when !permitted.Contains(login, StringComparer.Ordinal) => $"the login {login} is not permitted on this client",
        _ => null,
    };

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex LoginPattern();
}
