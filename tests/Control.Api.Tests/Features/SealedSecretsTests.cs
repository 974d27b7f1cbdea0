using System.Net;
using Control.Api.Features.Offboardings;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary><c>GET /offboardings/{id}/sealed-secrets</c>: who has revealed each sealed secret, read from the event store.</summary>
[Collection("api")]
public class SealedSecretsTests(ApiFixture api)
{
    [Fact]
    public async Task A_sealed_secret_lists_the_reveals_of_its_own_value_only_with_who_when_and_why()
    {
        var org = await api.NewOrganization();
        await org.Operator("lou", "technician");
        var (_, hr) = await org.Operator("hank", "hr");
        var (_, securityAdmin) = await org.Operator("sam", "security-admin");
        var person = await org.Owner.PostOk<PersonResponse>("/people", new AddPersonRequest("Lou", null, "hired"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/links", new LinkPersonRequest("lou", null, null, "account"));
        // A reveal of an earlier key (a reset shows its key to the caller) is not a reveal of the key the offboarding seals.
        await org.Owner.PostOk<LicenseKeyResponse>("/license/reset", new ReasonRequest("routine"));
        await org.Owner.PostOk<PersonResponse>($"/people/{person.Id}/knowledge", new RecordKnowledgeRequest("license-key", null, "had it in a note"));

        var started = await Client.Read<OffboardingResponse>(
            await hr.Post("/offboardings", new StartOffboardingRequest("Lou", "left", null, null, 2)), HttpStatusCode.Accepted);
        await hr.Until(started.Id, o => o.Status is "completed" or "completed-with-pending");
        var sealedKey = Assert.Single(await hr.GetOk<List<SealedSecretSummary>>($"/offboardings/{started.Id}/sealed-secrets"));
        Assert.Equal("license-key", sealedKey.Secret);
        Assert.Empty(sealedKey.Reveals);

        await securityAdmin.PostOk<RevealedSecretResponse>("/license/reveal", new ReasonRequest("enrol the new kiosk"));
        await org.Owner.PostOk<RevealedSecretResponse>("/license/reveal", new ReasonRequest("second opinion"));
        var revealed = Assert.Single(await hr.GetOk<List<SealedSecretSummary>>($"/offboardings/{started.Id}/sealed-secrets"));
        Assert.Equal([($"sam@{org.Slug}", "enrol the new kiosk"), ($"owner@{org.Slug}", "second opinion")],
            revealed.Reveals.Select(r => (r.By, r.Reason)).ToArray());
        Assert.All(revealed.Reveals, r => Assert.True(r.At >= revealed.SealedAt, $"revealed {r.At:O}, sealed {revealed.SealedAt:O}"));

        // A reveal alone (a SecretRevealed on the organization's stream) still moves the organization's document to its stream's version.
        await ProjectionVersions.AssertMatchStreams(api, org.Slug);

        // Once replaced, the list keeps who saw the sealed value, and not who saw a key that replaced it (each reset shows its key).
        await org.Owner.PostOk<LicenseKeyResponse>("/license/reset", new ReasonRequest("rotate again"));
        await org.Owner.PostOk<LicenseKeyResponse>("/license/reset", new ReasonRequest("and once more"));
        var replaced = Assert.Single(await hr.GetOk<List<SealedSecretSummary>>($"/offboardings/{started.Id}/sealed-secrets"));
        Assert.True(replaced.Replaced);
        Assert.Equal(revealed.Reveals, replaced.Reveals);
        await ProjectionVersions.AssertMatchStreams(api, org.Slug);
    }
}
