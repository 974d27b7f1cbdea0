using Control.Domain.Common;

namespace Control.Domain.People;

// Event names and shapes are a permanent contract: never rename or remove one; add a new event instead.

/// <summary>HR recorded an employee. Offboarding targets a person, not an account.</summary>
public sealed record PersonAdded(Guid PersonId, Guid OrganizationId, string Name, string? Email, Actor By, DateTimeOffset At);

/// <summary>An operator account of the organization belongs to this person (its viewer alias is theirs too).</summary>
public sealed record PersonOperatorLinked(Guid PersonId, Guid OperatorId, string Alias, Actor By, DateTimeOffset At);

/// <summary>A viewer alias (<c>bob@acme</c>) or a client number the person connects from, as ACL entries name them.</summary>
public sealed record PersonIdentityLinked(Guid PersonId, string Identity, Actor By, DateTimeOffset At);

/// <summary>A managed client that is the person's own (their laptop): the first offboarding step removes it.</summary>
public sealed record PersonClientLinked(Guid PersonId, Guid ClientId, string Label, Actor By, DateTimeOffset At);

/// <summary>An admin recorded that the person knows a secret Control never showed them (e.g. a shared account's password).</summary>
public sealed record PersonKnowledgeRecorded(Guid PersonId, Guid SubjectId, SecretKind Secret, string Label, Actor By, DateTimeOffset At);

public sealed record PersonOffboardingStarted(Guid PersonId, Guid OffboardingId, Actor By, DateTimeOffset At);

public sealed record PersonOffboardingCancelled(Guid PersonId, Guid OffboardingId, Actor By, DateTimeOffset At);

/// <summary>The offboarding's change steps are committed: the person's aliases are released and match no one from now on.</summary>
public sealed record PersonOffboarded(Guid PersonId, Guid OffboardingId, IReadOnlyList<string> ReleasedAliases, Actor By, DateTimeOffset At);
