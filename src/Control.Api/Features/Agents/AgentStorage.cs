using Marten;

namespace Control.Api.Features.Agents;

/// <summary>Agents' documents: the deployment-wide registry of client numbers and where each agent accepts sessions.</summary>
public static class AgentStorage
{
    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<ClientNumberRegistration>().SingleTenanted();
        opts.Schema.For<AgentEndpoint>();
    }
}
