namespace Control.Domain.Contracts;

public sealed record AddPersonRequest(string? Name, string? Email, string? Reason) : IReasonedRequest;

/// <param name="Operator">An operator account's username (its viewer alias becomes theirs too).</param>
/// <param name="Identity">A viewer alias (bob@acme) or a client number the person connects from.</param>
/// <param name="Client">A client that is the person's own: alias, number or id.</param>
public sealed record LinkPersonRequest(string? Operator, string? Identity, string? Client, string? Reason) : IReasonedRequest;

/// <param name="Secret">operator-password, license-key, unattended-password, custom-client-link, client-totp-secret.</param>
/// <param name="Subject">What the secret belongs to: an operator's username, a client, a custom client's name (none for the license key).</param>
public sealed record RecordKnowledgeRequest(string? Secret, string? Subject, string? Reason) : IReasonedRequest;

public sealed record PersonOperator(Guid Id, string Alias);

public sealed record PersonClient(Guid Id, string Label);

public sealed record PersonResponse(
    Guid Id, string Name, string? Email, string Status, IReadOnlyList<PersonOperator> Operators, IReadOnlyList<string> Identities,
    IReadOnlyList<PersonClient> Clients, Guid? OffboardingId, IReadOnlyList<string> ReleasedAliases, DateTimeOffset AddedAt, long Version);

/// <summary>One secret the person knows now, and how they learned it.</summary>
public sealed record ExposureEntry(string Secret, Guid SubjectId, string Subject, string How, DateTimeOffset Since, string? TokenId);

public sealed record ExposureResponse(Guid PersonId, string Person, IReadOnlyList<ExposureEntry> Secrets);

public sealed record AccessPathDto(Guid ClientId, string Client, string ViewerAlias, string? Person, string AdmittedBy, IReadOnlyList<string> Methods);

public sealed record WildcardMatchDto(Guid? ClientId, string Client, string Entry, string Identity);

/// <param name="AsOf">The time the answer is for when one was asked (replayed from the events up to then); null for now.</param>
/// <param name="Note">Why the answer is empty when it could not be otherwise (e.g. the client was not enrolled yet at that time).</param>
public sealed record WhoCanReachResponse(
    Guid ClientId, string Client, bool AclEnabled, IReadOnlyList<string> AclEntries, IReadOnlyList<AccessPathDto> Paths, DateTimeOffset? AsOf = null,
    string? Note = null);

/// <param name="CanSignIn">Whether any of the person's operator accounts is active (only those obtain viewer certificates).</param>
/// <param name="AsOf">The time the answer is for when one was asked (replayed from the events up to then); null for now.</param>
/// <param name="Note">Why the answer is empty when it could not be otherwise (e.g. the person was not recorded yet at that time).</param>
public sealed record ReachableByResponse(
    Guid PersonId, string Person, bool CanSignIn, IReadOnlyList<AccessPathDto> Paths, IReadOnlyList<WildcardMatchDto> Wildcards, DateTimeOffset? AsOf = null,
    string? Note = null);
