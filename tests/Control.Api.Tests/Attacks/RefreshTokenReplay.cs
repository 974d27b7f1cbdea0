using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: someone who copied an operator's refresh token (a backup of the credentials file, a log, a shared laptop) and
/// uses it after the operator's CLI has rotated it several times. Threat: if only the token one rotation back is recognized,
/// an older copy is refused quietly while the family lives on, and nobody learns that the token leaked; the OAuth 2.0
/// security BCP (RFC 9700 §4.14.2) asks that any earlier token of the family revokes the whole family.
/// </summary>
[Collection("api")]
public class RefreshTokenReplay(ApiFixture api)
{
    [Fact]
    public async Task Refresh_WithTokenRotatedThreeTimesAgo_RevokesTheWholeFamilyIncludingTheCurrentToken()
    {
        var org = await api.NewOrganization();
        var holder = api.Anonymous();
        var first = await holder.Login(org.Slug, "owner", ApiFixture.Password);
        var current = first;
        for (var i = 0; i < 3; i++)
        {
            current = await holder.PostOk<TokenResponse>("/auth/refresh", new RefreshRequest(current.RefreshToken));
        }

        var thief = api.Anonymous();
        await Client.Problem(await thief.Post("/auth/refresh", new RefreshRequest(first.RefreshToken)), HttpStatusCode.Unauthorized);

        await Client.Problem(await holder.Post("/auth/refresh", new RefreshRequest(current.RefreshToken)), HttpStatusCode.Unauthorized);
    }
}
