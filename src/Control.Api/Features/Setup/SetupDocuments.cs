namespace Control.Api.Features.Setup;

/// <summary>Deployment-wide registry of namespaces (not per tenant): a slug is unique across the deployment.</summary>
public sealed class OrganizationRegistration
{
    public string Id { get; set; } = "";
    public Guid OrganizationId { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The one-time bootstrap token's hash, valid until the first organization exists.</summary>
public sealed class BootstrapState
{
    public const string SingletonId = "bootstrap";
    public string Id { get; set; } = SingletonId;
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
