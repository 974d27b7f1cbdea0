using Marten;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>The policy pipeline's services: snapshots, signer, served parts, change notifier and the event store's hook.</summary>
public static class PolicyPipeline
{
    public static IServiceCollection AddPolicyPipeline(this IServiceCollection services)
    {
        services.AddSingleton<PolicyInvalidations>();
        services.AddSingleton<ServedPolicyParts>();
        services.AddSingleton<PolicySnapshots>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicySnapshots>());
        services.AddSingleton<PolicySigner>();
        services.AddSingleton<PolicyChangeNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyChangeNotifier>());
        services.ConfigureMarten((sp, opts) => opts.Listeners.Add(new PolicyChangeSessionListener(sp.GetRequiredService<PolicyInvalidations>())));
        return services;
    }
}
