namespace Control.Domain.Operators;

public enum OperatorRole
{
    Owner,
    SecurityAdmin,
    Auditor,
    Hr,
    Technician,
}

public enum OperatorStatus
{
    /// <summary>Invited; becomes Active when the invitee sets a password with the activation code.</summary>
    Invited,
    Active,
    Disabled,
}

public static class OperatorRoles
{
    private static readonly Dictionary<OperatorRole, string> Names = new()
    {
        [OperatorRole.Owner] = "owner",
        [OperatorRole.SecurityAdmin] = "security-admin",
        [OperatorRole.Auditor] = "auditor",
        [OperatorRole.Hr] = "hr",
        [OperatorRole.Technician] = "technician",
    };

    public static IReadOnlyCollection<string> All => Names.Values;

    /// <summary>The wire and claim name of a role (<c>security-admin</c>).</summary>
    public static string ToName(this OperatorRole role) => Names[role];

    public static bool TryParse(string? name, out OperatorRole role)
    {
        foreach (var (key, value) in Names)
        {
            if (string.Equals(value, name, StringComparison.Ordinal))
            {
                role = key;
                return true;
            }
        }

        role = default;
        return false;
    }

    /// <summary>
    /// The roles that open sessions to clients, and so the only ones that get a viewer certificate: a certificate is what an
    /// agent checks, so one in an auditor's or HR's hands would pass any ACL entry (a wildcard such as <c>*@acme</c>) that
    /// happens to match their alias, whatever the stock CLI refuses to do with it.
    /// </summary>
    public static IReadOnlyList<OperatorRole> SessionRoles { get; } = [OperatorRole.Technician, OperatorRole.SecurityAdmin, OperatorRole.Owner];

    public static bool OpensSessions(this OperatorRole role) => SessionRoles.Contains(role);

    /// <summary>"technician, security-admin or owner", for messages that say who may.</summary>
    public static string SessionRoleNames => string.Join(", ", SessionRoles.Take(SessionRoles.Count - 1).Select(ToName)) + " or " + SessionRoles[^1].ToName();

    /// <summary>Who may manage operator accounts at all.</summary>
    public static bool CanManageOperators(this OperatorRole role) => role is OperatorRole.Owner or OperatorRole.SecurityAdmin;

    /// <summary>Owners and security-admins: an offboarding of a person linked to such an account waits for a second owner's approval.</summary>
    public static bool IsPrivileged(this OperatorRole role) => role is OperatorRole.Owner or OperatorRole.SecurityAdmin;

    /// <summary>
    /// Whose accounts an offboarding started by <paramref name="starter"/> may disable or reset: the accounts the role manages
    /// directly and, for hr (who manages no account directly and links none), the unprivileged accounts an admin linked to
    /// the person. Never more than an owner or security-admin could do by hand.
    /// </summary>
    public static bool CanOffboard(this OperatorRole starter, OperatorRole target) =>
        starter.CanManage(target) || (starter == OperatorRole.Hr && !target.IsPrivileged());

    /// <summary>Owners are managed only by owners, so a security-admin cannot lock the owners out or take over an owner account.</summary>
    public static bool CanManage(this OperatorRole actorRole, OperatorRole targetRole) =>
        actorRole == OperatorRole.Owner || (actorRole == OperatorRole.SecurityAdmin && targetRole != OperatorRole.Owner);
}
