using Control.Domain.Clients;
using Control.Domain.Common;

namespace Control.Domain.CustomClients;

public sealed record CustomClient
{
    public required Guid Id { get; init; }
    public required Guid OrganizationId { get; init; }
    public required string Name { get; init; }
    public string? AliasSuffix { get; init; }
    public required ClientPreset Preset { get; init; }
    public bool Public { get; init; }
    public required string TokenHash { get; init; }
    public bool Deleted { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public long Version { get; set; }

    public static CustomClient Start(CustomClientCreated e) => new()
    {
        Id = e.CustomClientId,
        OrganizationId = e.OrganizationId,
        Name = e.Name,
        AliasSuffix = e.AliasSuffix,
        Preset = e.Preset,
        Public = e.Public,
        TokenHash = e.TokenHash,
        CreatedAt = e.At,
    };

    public static CustomClient? Evolve(CustomClient? state, object @event) => @event switch
    {
        CustomClientCreated e => Start(e),
        _ when state is null => null,
        CustomClientVisibilitySet e => state with { Public = e.Public },
        CustomClientTokenRotated e => state with { TokenHash = e.TokenHash },
        CustomClientDeleted => state with { Deleted = true },
        _ => state,
    };

    /// <summary>Whether the standing registration link enrols: only for a live, public custom client.</summary>
    public bool LinkEnrols(string presentedToken) => !Deleted && Public && Secrets.TokenMatches(presentedToken, TokenHash);
}
