using System.Globalization;
using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: whoever answers for an agent that does not enforce what the API sent (an agent kept on an older or doctored
/// policy, or a receipt replayed from an earlier policy that reached the same version number: the version is the sum of
/// two revisions, and other pairs of parts add up to it too). Threat: a receipt that names only a version makes the API,
/// and an offboarding waiting for proof, count a revocation as in force on a machine that never enforced it. A receipt
/// signs both parts' digests, and the API counts it only for the parts it served.
/// </summary>
[Collection("api")]
public class ReceiptForAnotherPolicy(ApiFixture api)
{
    [Fact]
    public async Task Receipt_SignedOverAnotherPolicysContentWithTheSameVersion_IsRefusedAndNeverRecorded()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("pc1");
        var served = await agent.Policy();
        var other = new SignedPolicy(
            served.Client with { Policy = served.Client.Policy with { Acl = new PolicyAcl(true, [$"mallory@{org.Slug}"]) } },
            served.Organization);
        var forged = agent.Receipt(other);
        Assert.Equal(served.Policy.Version, forged.Version);

        await Client.Problem(await agent.Http.Post("/agent/ack", forged), HttpStatusCode.BadRequest);
        var etag = served.Policy.Version.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.NotModified, (await agent.Http.Get("/agent/policy", etag, (PolicyAcknowledgement.Header, forged.HeaderValue))).StatusCode);

        await Task.Delay(2500);
        var listed = Assert.Single(await org.Owner.GetOk<List<ClientSummary>>("/clients"));
        Assert.Null(listed.EnforcedPolicyVersion);

        // The receipt for what was served is counted.
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Post("/agent/ack", agent.Receipt(served))).StatusCode);
    }
}
