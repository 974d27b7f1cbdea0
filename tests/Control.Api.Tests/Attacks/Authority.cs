using System.Net;
using System.Text.Json;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Control.Api.Tests.Attacks;

/// <summary>What the attacks on authority check afterwards, and the wait for an offboarding's first step to have had its chance.</summary>
internal static class Authority
{
    public static async Task<bool> CanSignIn(this Organization org, string username) =>
        (await org.Fixture.Anonymous().Post("/auth/login", new LoginRequest(org.Slug, username, ApiFixture.Password, null, null))).StatusCode == HttpStatusCode.OK;

    /// <summary>The account's status as stored (read past the API: an attack that worked may have left no one to ask).</summary>
    public static async Task<string> StatusOf(this Organization org, Guid operatorId)
    {
        await using var session = org.Fixture.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(org.Slug);
        return (await session.LoadAsync<Domain.Operators.Operator>(operatorId))!.Status.ToString().ToLowerInvariant();
    }

    public static async Task<OffboardingResponse> Start(this Client starter, string person, DateTimeOffset? at = null) =>
        await Client.Read<OffboardingResponse>(
            await starter.Post("/offboardings", new StartOffboardingRequest(person, "left the company", null, at, 5)), HttpStatusCode.Accepted);

    /// <summary>Gives a waiting offboarding's first step message time to arrive (and to change nothing), bounded.</summary>
    public static async Task<JsonElement> AfterItsFirstStepHadItsChance(this Client reader, Guid id)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        return await reader.GetOk<JsonElement>($"/offboardings/{id}");
    }
}
