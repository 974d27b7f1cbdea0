using System.Net;
using System.Security.Cryptography;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Attacks;

/// <summary>
/// Attacker: an auditor or HR operator (or a thief of their password) with a hand-made client. Threat: they ask the API for a
/// viewer certificate, which the stock CLI never uses for them, and present it to an agent whose ACL holds a wildcard such as
/// <c>*@acme</c>: the agent checks only the certificate and the ACL, so they would open sessions their role never grants.
/// </summary>
[Collection("api")]
public class SessionCertificateForRolesWithoutSessions(ApiFixture api)
{
    [Theory]
    [InlineData("auditor")]
    [InlineData("hr")]
    public async Task ViewerCertificate_RequestedByRoleThatOpensNoSessions_RefusedWith403NamingTheRolesThatMay(string role)
    {
        var org = await api.NewOrganization();
        var (_, reader) = await org.Operator("reader", role);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var refused = await Client.Problem(
            await reader.Post("/me/viewer-certificate", new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()))),
            HttpStatusCode.Forbidden);

        Assert.Equal("viewer_certificate.role_opens_no_sessions", refused.GetProperty("code").GetString());
        Assert.Contains("technician, security-admin or owner", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var issued = await org.Owner.GetOk<AuditEventPage>("/audit/events?type=ViewerCertificateIssued");
        Assert.Empty(issued.Items);
    }
}
