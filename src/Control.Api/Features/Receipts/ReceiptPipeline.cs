using Marten;

namespace Control.Api.Features.Receipts;

/// <summary>The receipt pipeline's services and storage: verifier, presence tracker, offboarding receipt watcher.</summary>
public static class ReceiptPipeline
{
    public static IServiceCollection AddReceiptPipeline(this IServiceCollection services)
    {
        services.AddSingleton<ReceiptVerifier>();
        services.AddHostedService(sp => sp.GetRequiredService<ReceiptVerifier>());
        services.AddSingleton<PresenceTracker>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceTracker>());
        services.AddHostedService<ReceiptWatcher>();

        // The receipt watcher reads the receipts that arrived since its last look.
        services.ConfigureMarten(opts => opts.Schema.For<ClientPresence>().Index(x => x.EnforcedAt));
        return services;
    }
}
