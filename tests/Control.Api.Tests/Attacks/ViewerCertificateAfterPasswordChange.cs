using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: someone who took a technician's laptop (or only its viewer key and certificate) while they were signed in.
/// Threat: the technician changes their password to lock the thief out, which kills every token, but the viewer
/// certificate lives on for hours and still opens sessions on every client. Changing one's own password must revoke the
/// certificates as disabling the account or an admin's reset does.
/// </summary>
[Collection("api")]
public class ViewerCertificateAfterPasswordChange(ApiFixture api)
{
    [Fact]
    public async Task PasswordChange_ByTheOperator_PutsTheirCertificateSerialInEveryClientsRevokedList()
    {
        var org = await api.NewOrganization();
        var (_, bob) = await org.Operator("bob", "technician");
        using var agent = await org.Agent("pc1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await bob.PostOk<ViewerCertificateResponse>(
            "/me/viewer-certificate", new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())));
        var current = await agent.Policy();
        Assert.Empty(current.Policy.RevokedViewerSerials);
        var poll = agent.Http.Get("/agent/policy?wait=10", current.Policy.Version.ToString(CultureInfo.InvariantCulture));

        var changed = await bob.Post("/me/password", new ChangePasswordRequest(ApiFixture.Password, "another long and unusual passphrase 7", "laptop stolen"));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        var woken = await Client.Read<SignedPolicy>(await poll.WaitAsync(TimeSpan.FromSeconds(20)), HttpStatusCode.OK);
        Assert.Equal([issued.Serial], woken.Policy.RevokedViewerSerials);
    }
}
