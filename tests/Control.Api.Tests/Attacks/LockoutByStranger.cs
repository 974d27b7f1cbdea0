using System.Net;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: a stranger on the internet who knows (or guesses) an operator's username. Threat: with a lockout counted per
/// account alone, a few wrong passwords every half hour keep the account locked for ever, so the real operator can never
/// sign in (a denial of service that needs no secret at all). Failures count per account and source address: the
/// stranger locks out only their own address.
/// </summary>
[Collection("api")]
public class LockoutByStranger(ApiFixture api)
{
    [Fact]
    public async Task SignIn_AfterAStrangerHammeredTheUsernameFromAnotherAddress_SucceedsForTheRealOperator()
    {
        var org = await api.NewOrganization();
        await org.Operator("bob", "technician");
        var stranger = api.Anonymous();
        for (var i = 0; i < 12; i++)
        {
            await Client.Problem(
                await stranger.Post("/auth/login", new LoginRequest(org.Slug, "bob", "a wrong but long passphrase", null, null)), HttpStatusCode.Unauthorized);
        }

        // The stranger's own address is locked: even the right password is refused from there.
        await Client.Problem(await stranger.Post("/auth/login", new LoginRequest(org.Slug, "bob", ApiFixture.Password, null, null)), HttpStatusCode.Unauthorized);

        var bob = api.Anonymous();
        var signedIn = await bob.Login(org.Slug, "bob", ApiFixture.Password);
        Assert.Equal("bob", signedIn.Operator.Username);
    }
}
