using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class AuditEventsTests(ApiFixture api)
{
    [Fact]
    public async Task Security_changes_carry_actor_reason_and_correlation_and_secrets_are_redacted()
    {
        var org = await api.NewOrganization();
        var invite = await org.Owner.Post("/operators", new InviteOperatorRequest("erin", "hr", "HR hire #42"), correlation: "ticket-4711");
        var invited = await Client.Read<InviteOperatorResponse>(invite, HttpStatusCode.Created);
        await org.Owner.Post($"/operators/{invited.Id}/disable", new OperatorActionRequest("contract ended", null), correlation: "ticket-4711");

        var page = await org.Owner.GetOk<AuditEventPage>("/audit/events?correlation=ticket-4711");
        Assert.Equal(["OperatorDisabled", "OperatorInvited"], page.Items.Select(e => e.Type).ToArray());
        Assert.All(page.Items, e => Assert.Equal($"owner@{org.Slug}", e.Actor));
        Assert.Equal(new[] { "contract ended", "HR hire #42" }, page.Items.Select(e => e.Reason ?? "").ToArray());
        Assert.All(page.Items, e => Assert.Equal(invited.Id, e.StreamId));

        var invitedEvent = page.Items[1].Data;
        Assert.Equal("[redacted]", invitedEvent.GetProperty("activationCodeHash").GetString());
        Assert.DoesNotContain(invited.ActivationCode, page.Items[1].Data.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_and_cursor_paging()
    {
        var org = await api.NewOrganization();
        for (var i = 0; i < 3; i++)
        {
            await org.Owner.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest($"user{i}", "technician", $"hire {i}"));
        }

        var all = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorInvited");
        Assert.Equal(3, all.Items.Count);
        Assert.True(all.Items.Zip(all.Items.Skip(1)).All(p => p.First.Sequence > p.Second.Sequence), "newest first");

        var first = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=OperatorInvited&limit=2");
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        var second = await org.Owner.GetOk<AuditEventPage>($"/audit/events?type=OperatorInvited&limit=2&cursor={first.NextCursor}");
        Assert.Equal(all.Items[2].EventId, Assert.Single(second.Items).EventId);
        Assert.Null(second.NextCursor);

        var byActor = await org.Owner.GetOk<AuditEventPage>($"/audit/events?actor=owner@{org.Slug}&type=OperatorInvited,OperatorSignedIn");
        Assert.Contains(byActor.Items, e => e.Type == "OperatorSignedIn");
        var future = await org.Owner.GetOk<AuditEventPage>($"/audit/events?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        Assert.Empty(future.Items);
        var byStream = await org.Owner.GetOk<AuditEventPage>($"/audit/events?stream={org.OwnerId}");
        Assert.All(byStream.Items, e => Assert.Equal(org.OwnerId, e.StreamId));
        Assert.Contains(byStream.Items, e => e.Type == "OperatorRegistered");

        await Client.Problem(await org.Owner.Get("/audit/events?limit=0"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get("/audit/events?cursor=abc"), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Get("/audit/events?type=drop%20table"), HttpStatusCode.BadRequest);
    }
}
