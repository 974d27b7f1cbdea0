using Marten;

namespace Control.Api.Auth;

/// <summary>Sign-in sessions: refresh sessions (rotated with optimistic concurrency, so a replayed token loses) and portal sessions.</summary>
public static class AuthStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<RefreshSession>().UseOptimisticConcurrency(true);
        opts.Schema.For<PortalSession>();
    }
}
