namespace Control.Domain.Contracts;

/// <summary>One change of what a client's ACL admits, with the audit envelope of the event that made it.</summary>
/// <param name="Event">The event's type name, e.g. AclEntryAdded, OrganizationAclEntryRemoved, ClientPresetApplied.</param>
/// <param name="OrganizationWide">A change of the organization-wide entries, which this client admits too.</param>
/// <param name="Added">Entries that now admit viewers ("+entry").</param>
/// <param name="Removed">Entries that no longer do ("-entry").</param>
/// <param name="AclEnabled">True when this change switched the ACL on, false off, null when it did neither.</param>
public sealed record AclHistoryEntry(
    long Sequence, DateTimeOffset At, string? Actor, string? Reason, string? Correlation, string Event, bool OrganizationWide,
    IReadOnlyList<string> Added, IReadOnlyList<string> Removed, bool? AclEnabled);

public sealed record AclHistoryResponse(Guid ClientId, string Client, IReadOnlyList<AclHistoryEntry> Changes);

/// <summary>A proposed ACL change to check against recent sessions; nothing is applied.</summary>
/// <param name="Client">The client (alias, number or id); null with <paramref name="OrganizationWide"/>.</param>
/// <param name="OrganizationWide">Propose a change of the organization-wide entries (every client admits them).</param>
/// <param name="AclEnabled">Switch the client's ACL on (true) or off (false); not for organization-wide proposals.</param>
/// <param name="AllowEveryone">Confirms a "*" entry, as the real edit requires.</param>
/// <param name="Days">How far back to look, 1-<c>WhatIfLimits.MaxDays</c> (default 30).</param>
public sealed record WhatIfRequest(
    string? Client, bool OrganizationWide, IReadOnlyList<string>? Add, IReadOnlyList<string>? Remove, bool? AclEnabled, bool AllowEveryone, int? Days);

/// <summary>A past session and what the proposed ACL would have made of it.</summary>
/// <param name="OutcomeThen">"admitted (methods)" or "denied: reason".</param>
/// <param name="WouldBe">Why the proposed ACL refuses it, or that it would pass the ACL.</param>
public sealed record WhatIfSession(Guid SessionId, Guid ClientId, string Client, string ViewerAlias, DateTimeOffset At, string OutcomeThen, string WouldBe);

/// <param name="Scope">The client's label, or "organization-wide".</param>
/// <param name="WouldRefuse">Sessions admitted then that the proposed ACL would have refused.</param>
/// <param name="WouldAdmit">For information: denied sessions whose viewer the proposed ACL would admit and the current one does not.</param>
/// <param name="SessionsChecked">How many sessions of the period were checked.</param>
public sealed record WhatIfResponse(
    string Scope, int Days, DateTimeOffset Since, IReadOnlyList<WhatIfSession> WouldRefuse, IReadOnlyList<WhatIfSession> WouldAdmit, int SessionsChecked);

public static class WhatIfLimits
{
    public const int DefaultDays = 30;
    public const int MaxDays = 365;
    public const int MaxEntries = 50;
}

/// <summary>One known identity an ACL entry admits (<c>GET /acl/matches</c>).</summary>
/// <param name="KnownAs">What Control knows it as: "operator (owner)", "linked to Zoe Example", "linked to Bob (offboarded)", "client desk@acme".</param>
/// <param name="People">The people it belongs to who are still with the organization.</param>
/// <param name="OffboardedPeople">The offboarded people it belonged to (marked "offboarded" in <paramref name="KnownAs"/> too).</param>
public sealed record AclIdentityMatch(string Identity, IReadOnlyList<string> KnownAs, IReadOnlyList<string> People, IReadOnlyList<string> OffboardedPeople);

/// <param name="Kind">alias, wildcard, client-number or everyone.</param>
/// <param name="Total">How many known identities match; <paramref name="Matches"/> holds the first <see cref="AclMatchesLimits.MaxListed"/>.</param>
public sealed record AclMatchesResponse(string Entry, string Kind, IReadOnlyList<AclIdentityMatch> Matches, int Total);

public static class AclMatchesLimits
{
    public const int MaxListed = 200;
}
