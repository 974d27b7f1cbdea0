using Control.Api.Features.Receipts;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>The address book's <c>online</c> flag: the API's rule (seen within <see cref="ClientPresence.OnlineWindow"/>), not the browser's.</summary>
[Collection("api")]
public class ClientOnlineTests(ApiFixture api)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_client_is_online_in_the_list_and_its_page_as_soon_as_its_agent_asks_for_its_policy()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("door");
        var before = Assert.Single(await org.Owner.GetOk<List<ClientSummary>>("/clients"));
        Assert.False(before.Online);
        Assert.Null(before.LastSeenAt);

        await agent.Policy();

        // The sighting counts at once, before the presence tracker's batch writes it.
        var listed = Assert.Single(await org.Owner.GetOk<List<ClientSummary>>("/clients"));
        Assert.True(listed.Online);
        Assert.NotNull(listed.LastSeenAt);
        Assert.True((await org.Owner.GetOk<ClientDetail>("/clients/door")).Summary.Online);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(0, true)]
    [InlineData(179, true)]
    [InlineData(180, false)]
    [InlineData(3600, false)]
    public void Online_means_seen_within_three_minutes(int? secondsAgo, bool online) =>
        Assert.Equal(online, ClientPresence.IsOnline(secondsAgo is { } s ? Now.AddSeconds(-s) : null, Now));

    [Fact]
    public void The_later_of_the_stored_and_the_unwritten_sighting_counts()
    {
        var stored = new ClientPresence { LastSeenAt = Now.AddMinutes(-10) };
        Assert.Equal(Now, ClientPresence.LastSeen(stored, Now));
        Assert.Equal(Now.AddMinutes(-10), ClientPresence.LastSeen(stored, Now.AddMinutes(-20)));
        Assert.Equal(Now.AddMinutes(-10), ClientPresence.LastSeen(stored, null));
        Assert.Null(ClientPresence.LastSeen(null, null));
    }
}
