using Marten;

namespace Control.Api.Features.Setup;

/// <summary>Setup's deployment-wide documents (not per organization): the registry of slugs and the bootstrap state.</summary>
public static class SetupStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<OrganizationRegistration>().SingleTenanted();
        opts.Schema.For<BootstrapState>().SingleTenanted().UseOptimisticConcurrency(true);
    }
}
