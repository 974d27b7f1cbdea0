namespace Control.Domain.Clients;

/// <summary>
/// Security settings a new client starts with: the organization's defaults, or a custom client's configuration.
/// Per-client changes after enrolment override them; bulk commands change many existing clients at once.
/// </summary>
public sealed record ClientPreset(bool AclEnabled, IReadOnlyList<string> AclEntries, bool UnattendedEnabled, SessionPermissions Permissions)
{
    public static ClientPreset Open { get; } = new(false, [], false, SessionPermissions.All);
}

/// <summary>The preset a client started with, and where it came from ("organization-defaults" or "custom-client:NAME").</summary>
public sealed record ClientPresetApplied(Guid ClientId, ClientPreset Preset, string Source, DateTimeOffset At);
