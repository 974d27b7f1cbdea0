using Control.Domain.Clients;
using Control.Domain.Common;

namespace Control.Domain.CustomClients;

// A custom client is a named agent configuration with its own registration link (a token that enrols agents into the
// organization with the configuration's preset). Public: the standing link enrols. Private: only one-time tickets
// that a signed-in operator asks for enrol. Agents already enrolled through a link stay enrolled until removed.

public sealed record CustomClientCreated(
    Guid CustomClientId, Guid OrganizationId, string Name, string? AliasSuffix, ClientPreset Preset, bool Public, string TokenHash, Actor By, DateTimeOffset At);

public sealed record CustomClientVisibilitySet(Guid CustomClientId, bool Public, Actor By, DateTimeOffset At);

/// <summary>The registration link was replaced: the old token enrols nothing from now on.</summary>
public sealed record CustomClientTokenRotated(Guid CustomClientId, string TokenHash, Actor By, DateTimeOffset At);

public sealed record CustomClientDeleted(Guid CustomClientId, Actor By, DateTimeOffset At);

/// <summary>A one-time enrolment ticket for a (private) custom client, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record EnrolmentTicketIssued(Guid CustomClientId, string TicketHash, DateTimeOffset ExpiresAt, Actor By, DateTimeOffset At);
