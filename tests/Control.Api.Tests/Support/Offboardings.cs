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
    public static async Task<OffboardingResponse> Until(this Client client, Guid id, Func<OffboardingResponse, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        OffboardingResponse current;
        do
        {
            current = await client.GetOk<OffboardingResponse>($"/offboardings/{id}");
            if (condition(current))
            {
                return current;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"offboarding {id} is {current.Status}: {JsonSerializer.Serialize(current)}");
        return current;
    }
}
