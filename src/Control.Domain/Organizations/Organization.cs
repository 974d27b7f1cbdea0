namespace Control.Domain.Organizations;

public sealed record Organization(Guid Id, string Slug, string Name, DateTimeOffset CreatedAt)
{
    public static Organization Start(OrganizationCreated e) => new(e.OrganizationId, e.Slug, e.Name, e.At);

    public static Organization? Evolve(Organization? state, object @event) => @event switch
    {
        OrganizationCreated e => Start(e),
        _ => state,
    };
}
