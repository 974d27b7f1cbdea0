namespace Control.Domain.Contracts;

/// <param name="CallerMayManage">Whether the operator asking may disable, enable or reset this account (the decider's own rule).</param>
public sealed record OperatorSummary(
    Guid Id, string Username, string Role, string Status, bool TwoFactorEnabled, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, long Version,
    bool CallerMayManage = false);

public sealed record InviteOperatorRequest(string? Username, string? Role, string? Reason) : IReasonedRequest;

public sealed record InviteOperatorResponse(Guid Id, string Username, string Role, string ActivationCode, DateTimeOffset ActivationExpiresAt, long Version);

/// <summary>Body of every admin action on an operator. <see cref="ExpectedVersion"/> is the version the caller saw (optimistic concurrency).</summary>
public sealed record OperatorActionRequest(string? Reason, long? ExpectedVersion) : IReasonedRequest, IVersionedRequest;

public sealed record OperatorActionResponse(Guid Id, string Status, long Version, bool Changed);

public sealed record PasswordResetResponse(Guid Id, string ActivationCode, DateTimeOffset ActivationExpiresAt, long Version);
