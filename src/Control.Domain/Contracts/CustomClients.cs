namespace Control.Domain.Contracts;

public sealed record ClientPresetDto(bool AclEnabled, IReadOnlyList<string>? AclEntries, bool UnattendedEnabled, bool Exec, bool Shell, bool FileTransfer);

public sealed record CreateCustomClientRequest(string? Name, string? AliasSuffix, bool? Public, ClientPresetDto? Preset, string? Reason) : IReasonedRequest;

/// <param name="RegistrationToken">The registration link's token, shown only now (rotate to get a new one).</param>
public sealed record CustomClientCreatedResponse(Guid Id, string Name, bool Public, string RegistrationToken);

public sealed record CustomClientSummary(Guid Id, string Name, string? AliasSuffix, bool Public, ClientPresetDto Preset, DateTimeOffset CreatedAt, long Version);

/// <param name="RegistrationToken">A new link token (after rotate) or a one-time ticket, shown only now.</param>
public sealed record CustomClientActionResponse(Guid Id, string Name, bool Public, bool Deleted, long Version, string? RegistrationToken = null, DateTimeOffset? ExpiresAt = null);

public sealed record ClientDefaultsRequest(ClientPresetDto? Defaults, string? Reason) : IReasonedRequest;
