using System.Net;
using System.Security.Cryptography;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

[Collection("api")]
public class CustomClientTests(ApiFixture api)
{
    private static string NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    private Task<HttpResponseMessage> Enroll(string token, string? alias = null) =>
        api.Anonymous().Post("/agent/enroll", new EnrollRequest(token, NewKey(), alias, null));

    [Fact]
    public async Task Public_link_enrols_with_the_preset_until_rotated_made_private_or_deleted()
    {
        var org = await api.NewOrganization();
        var preset = new ClientPresetDto(true, [$"*-support@{org.Slug}"], true, Exec: true, Shell: false, FileTransfer: false);
        var created = await org.Owner.PostOk<CustomClientCreatedResponse>("/custom-clients",
            new CreateCustomClientRequest("Kiosk", "-kiosk", true, preset, "lobby kiosks"));

        var first = await Client.Read<EnrollResponse>(await Enroll(created.RegistrationToken, "lobby1"), HttpStatusCode.OK);
        Assert.Equal($"lobby1-kiosk@{org.Slug}", first.Alias);
        var agent = api.Anonymous().AsAgent(first.Credential);
        var policy = (await agent.GetOk<SignedPolicy>("/agent/policy")).Policy;
        Assert.True(policy.Acl.Enabled);
        Assert.Equal([$"*-support@{org.Slug}"], policy.Acl.Entries);
        Assert.True(policy.Unattended.Enabled);
        Assert.False(policy.Permissions.Shell);

        var rotated = await org.Owner.PostOk<CustomClientActionResponse>("/custom-clients/kiosk/rotate", new ReasonRequest("link leaked"));
        await Client.Problem(await Enroll(created.RegistrationToken), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await Enroll(rotated.RegistrationToken!)).StatusCode);

        await org.Owner.PostOk<CustomClientActionResponse>("/custom-clients/kiosk/make-private", new ReasonRequest("only via tickets"));
        await Client.Problem(await Enroll(rotated.RegistrationToken!), HttpStatusCode.Unauthorized);

        // A one-time ticket enrols once.
        var ticket = await org.Owner.PostOk<CustomClientActionResponse>("/custom-clients/kiosk/ticket", new ReasonRequest("new kiosk"));
        Assert.StartsWith("ctl-tkt.", ticket.RegistrationToken, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Enroll(ticket.RegistrationToken!)).StatusCode);
        await Client.Problem(await Enroll(ticket.RegistrationToken!), HttpStatusCode.Unauthorized);

        await org.Owner.PostOk<CustomClientActionResponse>("/custom-clients/kiosk/delete", new ReasonRequest("kiosks retired"));
        Assert.Empty(await org.Owner.GetOk<List<CustomClientSummary>>("/custom-clients"));

        // Agents enrolled through the link stay enrolled until removed one by one (as the reference page says).
        Assert.Equal(HttpStatusCode.OK, (await agent.Get("/agent/policy")).StatusCode);
        Assert.Equal(3, (await org.Owner.GetOk<List<ClientSummary>>("/clients")).Count);
        await ProjectionVersions.AssertMatchStreams(api, org.Slug);
    }

    [Fact]
    public async Task Invalid_custom_clients_and_defaults_are_refused()
    {
        var org = await api.NewOrganization();
        var everyone = new ClientPresetDto(true, ["*"], false, true, true, true);
        var problem = await Client.Problem(await org.Owner.Post("/custom-clients", new CreateCustomClientRequest("x", null, true, everyone, "r")), HttpStatusCode.BadRequest);
        Assert.Equal("acl.everyone_not_confirmed", problem.GetProperty("code").GetString());
        await Client.Problem(await org.Owner.Post("/custom-clients", new CreateCustomClientRequest("Bad Name!", null, true, null, "r")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/custom-clients", new CreateCustomClientRequest("ok", "nodash", true, null, "r")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/custom-clients", new CreateCustomClientRequest("ok", null, null, null, "")), HttpStatusCode.BadRequest);
        await Client.Problem(await org.Owner.Post("/custom-clients/none/rotate", new ReasonRequest("r")), HttpStatusCode.NotFound);
        await org.Owner.PostOk<CustomClientCreatedResponse>("/custom-clients", new CreateCustomClientRequest("ok", null, false, null, "r"));
        await Client.Problem(await org.Owner.Post("/custom-clients", new CreateCustomClientRequest("ok", null, false, null, "r")), HttpStatusCode.Conflict);
        await Client.Problem(await org.Owner.Post("/organization/client-defaults", new ClientDefaultsRequest(new ClientPresetDto(true, ["bad@"], false, true, true, true), "r")), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Organization_defaults_apply_to_clients_enrolled_afterwards()
    {
        var org = await api.NewOrganization();
        using var before = await org.Agent();
        await org.Owner.PostOk<ClientPresetDto>("/organization/client-defaults",
            new ClientDefaultsRequest(new ClientPresetDto(true, [$"*@{org.Slug}"], false, Exec: false, Shell: false, FileTransfer: true), "namespace-only access"));
        using var after = await org.Agent();

        Assert.False((await before.Policy()).Policy.Acl.Enabled);
        var policy = (await after.Policy()).Policy;
        Assert.True(policy.Acl.Enabled);
        Assert.Equal([$"*@{org.Slug}"], policy.Acl.Entries);
        Assert.Equal((false, false, true), (policy.Permissions.Exec, policy.Permissions.Shell, policy.Permissions.FileTransfer));
        Assert.Equal(["control-session"], policy.Permissions.Logins);
    }
}
