using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class EnrolmentTests(ApiFixture api)
{
    [Fact]
    public async Task Agent_enrols_with_the_license_key_and_gets_a_policy_signed_by_the_pinned_key()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent("kiosk1");

        Assert.Equal($"kiosk1@{org.Slug}", agent.Enrolment.Alias);
        Assert.Matches("^[1-9][0-9]{8}$", agent.Enrolment.ClientNumber);
        Assert.Equal(PolicySignature.Fingerprint(agent.PublicKey), agent.Enrolment.KeyFingerprint);

        var signed = await agent.Policy();
        Assert.Equal(agent.Enrolment.ClientId, signed.Policy.ClientId);
        Assert.False(signed.Policy.Removed);
        Assert.True(signed.Policy.Licensed);

        var listed = Assert.Single(await org.Owner.GetOk<List<ClientSummary>>("/clients"));
        Assert.Equal(agent.Enrolment.ClientId, listed.Id);
        Assert.Equal(signed.Policy.Version, listed.LatestPolicyVersion);

        // Only its hash is stored: the credential appears nowhere in the database.
        Assert.Equal(0, await api.Database.Scalar($"select count(*) from control.mt_events where data::text like '%{agent.Enrolment.Credential.Split('.')[3]}%'"));
    }

    [Fact]
    public async Task A_reset_license_key_enrols_nothing_and_the_new_one_works()
    {
        var org = await api.NewOrganization();
        var reset = await org.Owner.PostOk<LicenseKeyResponse>("/license/reset", new ReasonRequest("key leaked"));
        Assert.NotEqual(org.LicenseKey, reset.LicenseKey);

        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var refused = await Client.Problem(
            await api.Anonymous().Post("/agent/enroll", new EnrollRequest(org.LicenseKey, publicKey, null, null)), HttpStatusCode.Unauthorized);
        Assert.Equal("enrolment.token_invalid", refused.GetProperty("code").GetString());
        await api.Anonymous().PostOk<EnrollResponse>("/agent/enroll", new EnrollRequest(reset.LicenseKey, publicKey, null, null));

        var audit = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=LicenseKeyReset,SecretRevealed");
        Assert.Contains(audit.Items, e => e.Type == "LicenseKeyReset" && e.Reason == "key leaked");
        Assert.Contains(audit.Items, e => e.Type == "SecretRevealed" && e.Data.GetProperty("to").GetProperty("name").GetString() == $"owner@{org.Slug}");
    }

    [Fact]
    public async Task Invalid_enrolment_is_refused_with_field_errors_and_appends_nothing()
    {
        var org = await api.NewOrganization();
        var before = await api.Database.Scalar($"select count(*) from control.mt_events where tenant_id = '{org.Slug}'");

        var problem = await Client.Problem(
            await api.Anonymous().Post("/agent/enroll", new EnrollRequest(org.LicenseKey, "bm90IGEga2V5", "Bad Alias!", null)), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("publicKey", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("alias", out _));

        using var first = await org.Agent("desk");
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var taken = await Client.Problem(await api.Anonymous().Post("/agent/enroll",
            new EnrollRequest(org.LicenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), "desk", null)), HttpStatusCode.Conflict);
        Assert.Equal("client.alias_taken", taken.GetProperty("code").GetString());
        Assert.Equal(before + 2, await api.Database.Scalar($"select count(*) from control.mt_events where tenant_id = '{org.Slug}'"));
    }

    [Fact]
    public async Task A_removed_client_gets_a_signed_tombstone_and_nothing_else()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        await org.Change(agent, "acl-add", new ClientChangeRequest("support", Entry: $"*@{org.Slug}"));
        await org.Change(agent, "remove", new ClientChangeRequest("machine decommissioned"));

        var tombstone = await agent.Policy();
        Assert.True(tombstone.Policy.Removed);
        Assert.True(tombstone.Policy.Acl.Enabled);
        Assert.Empty(tombstone.Policy.Acl.Entries);
        Assert.False(tombstone.Policy.Permissions.Shell);

        // Its receipt for the tombstone is accepted: it proves the removal took effect on the machine.
        Assert.Equal(HttpStatusCode.NoContent, (await agent.Http.Post("/agent/ack", agent.Receipt(tombstone))).StatusCode);
        var again = await Client.Problem(await org.Owner.Post($"/clients/{agent.Enrolment.ClientId}/acl-enable", new ClientChangeRequest("x")), HttpStatusCode.Conflict);
        Assert.Equal("client.removed", again.GetProperty("code").GetString());
        Assert.Empty(await org.Owner.GetOk<List<ClientSummary>>("/clients"));
    }

    [Fact]
    public async Task An_agent_credential_is_not_an_operator_token_and_vice_versa()
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        // Operator endpoints accept only operator tokens: to them an agent is simply not signed in.
        await Client.Problem(await agent.Http.Get("/clients"), HttpStatusCode.Unauthorized);
        await Client.Problem(await org.Owner.Get("/agent/policy"), HttpStatusCode.Unauthorized);
        var forged = agent.Enrolment.Credential[..^4] + "AAAA";
        await Client.Problem(await api.Anonymous().AsAgent(forged).Get("/agent/policy"), HttpStatusCode.Unauthorized);
    }
}
