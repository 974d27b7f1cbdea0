namespace Control.Domain.Contracts;

/// <summary>
/// The names of the changes an operator makes to a client: the last segment of <c>POST /clients/{client}/{action}</c> and
/// <c>POST /clients/bulk/{action}</c>, as the API routes them, the CLI sends them and the portal
/// (<c>src/Control.Portal/src/clientActions.ts</c>, checked against this list by a test) names them.
/// </summary>
public static class ClientActions
{
    public const string EnableAcl = "acl-enable";
    public const string DisableAcl = "acl-disable";
    public const string AddAclEntry = "acl-add";
    public const string RemoveAclEntry = "acl-remove";
    public const string EnableUnattendedAccess = "unattended-enable";
    public const string DisableUnattendedAccess = "unattended-disable";
    public const string SetExclusiveUnattendedAccess = "unattended-exclusive";
    public const string SetUnattendedPassword = "unattended-password";
    public const string ClearTokens = "tokens-clear";
    public const string DisableTwoFactor = "2fa-disable";
    public const string SetSessionPermissions = "permissions";
    public const string SetSessionLogins = "logins";
    public const string SetTags = "tags";
    public const string Remove = "remove";
    public const string RemoveLicense = "remove-license";

    public static IReadOnlyList<string> All { get; } =
    [
        EnableAcl, DisableAcl, AddAclEntry, RemoveAclEntry, EnableUnattendedAccess, DisableUnattendedAccess, SetExclusiveUnattendedAccess,
        SetUnattendedPassword, ClearTokens, DisableTwoFactor, SetSessionPermissions, SetSessionLogins, SetTags, Remove, RemoveLicense,
    ];
}
