using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;

namespace Control.Api.Tests.Support;

/// <summary>Facts an agent reports and the wait for an offboarding, shared by the tests that need them.</summary>
public static class Offboardings
{
    /// <summary>Reports one session fact as the agent would (POST /agent/session-events).</summary>
    public static async Task Report(this TestAgent agent, SessionEvent e)
    {
        var batch = new AgentSessionEventBatch([new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), Client.Json))]);
        await agent.Http.PostOk<AgentSessionEventsAccepted>("/agent/session-events", batch);
    }

    /// <summary>Polls the offboarding until the condition holds (at most 60 s).</summary>
    public static Task<OffboardingResponse> Until(this Client client, Guid id, Func<OffboardingResponse, bool> condition) =>
        Eventually.Until(() => client.GetOk<OffboardingResponse>($"/offboardings/{id}"), condition, $"offboarding {id}", TimeSpan.FromSeconds(60),
            current => JsonSerializer.Serialize(current), TimeSpan.FromMilliseconds(100));
}
