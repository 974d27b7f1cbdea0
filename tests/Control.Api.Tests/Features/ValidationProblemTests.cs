using System.Text.Json;
using Alba;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>
/// Bad input gets one answer everywhere: 400, RFC 9457 validation problem details naming each bad field (camelCase, as the
/// body spells it), and nothing changes. Driven as Alba scenarios: the request, the status and the content type read as one.
/// </summary>
[Collection("api")]
public class ValidationProblemTests(ApiFixture api)
{
    public static TheoryData<string, string, object, string> BadRequests => new()
    {
        { "an ACL entry that is no identity", "/clients/{client}/acl-add", new ClientChangeRequest("new technician", Entry: "not an entry!"), "entry" },
        { "a change without a reason", "/clients/{client}/acl-add", new ClientChangeRequest(" ", Entry: "bob@acme"), "reason" },
        { "exclusive mode neither on nor off", "/clients/{client}/unattended-exclusive", new ClientChangeRequest("lock down"), "exclusive" },
        { "a weak unattended password", "/clients/{client}/unattended-password", new ClientChangeRequest("rotate", Password: "password"), "password" },
        { "permissions half given", "/clients/{client}/permissions", new ClientChangeRequest("narrow", Exec: true), "permissions" },
        { "a tag with spaces", "/clients/{client}/tags", new ClientChangeRequest("tag", Tags: ["front desk"]), "tags" },
        { "an operator name with spaces", "/operators", new InviteOperatorRequest("Carol Smith", "technician", "hired"), "username" },
        { "a role that does not exist", "/operators", new InviteOperatorRequest("carol", "god", "hired"), "role" },
        { "an invitation without a reason", "/operators", new InviteOperatorRequest("carol", "technician", ""), "reason" },
        { "an offboarding in a mode that does not exist", "/offboardings", new StartOffboardingRequest("bob", "left", "some", null, null), "mode" },
        { "an offboarding a decade ahead", "/offboardings", new StartOffboardingRequest("bob", "left", null, DateTimeOffset.UtcNow.AddYears(10), null), "effectiveAt" },
        { "a cancellation without a reason", $"/offboardings/{Guid.CreateVersion7()}/cancel", new ReasonRequest(""), "reason" },
        { "an approval without a reason", $"/offboardings/{Guid.CreateVersion7()}/approve", new ReasonRequest(" "), "reason" },
        { "seeing a sealed license key without a reason", "/license/reveal", new ReasonRequest(""), "reason" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task BadInput_IsAValidationProblemNamingTheField_AndChangesNothing(string what, string path, object body, string field)
    {
        var org = await api.NewOrganization();
        using var agent = await org.Agent();
        var before = await AuditedChanges(org);

        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(body, JsonStyle.MinimalApi).ToUrl(path.Replace("{client}", agent.Enrolment.ClientId.ToString(), StringComparison.Ordinal));
            s.WithRequestHeader("Authorization", $"Bearer {org.Owner.Token}");
            s.StatusCodeShouldBe(400);
            s.ContentTypeShouldBe("application/problem+json");
        });

        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("The request is not valid.", problem.GetProperty("title").GetString());
        Assert.Equal("https://control.invalid/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{what}: no error for '{field}' in {problem}");
        Assert.Contains(messages.EnumerateArray(), m => !string.IsNullOrWhiteSpace(m.GetString()));
        Assert.Equal(before, await AuditedChanges(org));
    }

    private static async Task<int> AuditedChanges(Organization org) => (await org.Owner.GetOk<AuditEventPage>("/audit/events?limit=500")).Items.Count;
}
