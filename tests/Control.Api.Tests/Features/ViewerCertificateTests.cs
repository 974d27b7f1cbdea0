using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.Security;
using OrganizationState = Control.Domain.Organizations.Organization;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Control.Api.Tests.Features;

/// <summary>Viewer certificates: issued for the operator's key, chained to the CA every policy carries, revoked with the account.</summary>
[Collection("api")]
public class ViewerCertificateTests(ApiFixture api)
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Certificate_names_the_operator_and_chains_to_the_ca_in_the_clients_policy()
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");
        using var agent = await org.Agent("pc1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

        var before = DateTimeOffset.UtcNow;
        var issued = await bob.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", new ViewerCertificateRequest(publicKey));

        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.Certificate));
        Assert.Equal($"bob@{org.Slug}", issued.Alias);
        Assert.Equal($"CN=bob@{org.Slug}, O={org.Slug}", certificate.Subject);
        Assert.Equal(certificate.SerialNumber, issued.Serial);
        Assert.Matches("^[0-9A-F]{32}$", issued.Serial);
        Assert.Equal([$"urn:control:viewer:bob@{org.Slug}"], SubjectAlternativeUris(certificate));
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == ClientAuthentication);
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(publicKey, Convert.ToBase64String(certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo()));
        Assert.InRange(issued.NotAfter, before.AddHours(8).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(8).AddMinutes(1));
        Assert.Equal(issued.NotAfter, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
        Assert.InRange(new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), before.AddMinutes(-2), before);

        var policy = await agent.Policy();
        Assert.Equal(issued.CaCertificate, policy.Policy.ViewerCa);
        using var ca = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(policy.Policy.ViewerCa!));
        Assert.Equal($"CN=Control viewer CA {org.Slug}, O={org.Slug}", ca.Subject);
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints is { CertificateAuthority: true, HasPathLengthConstraint: true, PathLengthConstraint: 0, Critical: true });
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.InRange(ca.NotAfter.ToUniversalTime(), before.UtcDateTime.AddYears(10).AddDays(-2), before.UtcDateTime.AddYears(10).AddDays(2));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var events = await OperatorEvents(org, bobId);
        var recorded = Assert.Single(events.OfType<ViewerCertificateIssued>());
        Assert.Equal((issued.Serial, issued.Alias, PolicySignature.Fingerprint(publicKey), issued.NotAfter), (recorded.Serial, recorded.Alias, recorded.PublicKeyFingerprint, recorded.NotAfter));
    }

    [Fact]
    public async Task Each_certificate_gets_its_own_serial_from_the_same_ca()
    {
        var org = await api.NewOrganization();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));
        var first = await org.Owner.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", request);
        var second = await org.Owner.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", request);
        Assert.NotEqual(first.Serial, second.Serial);
        Assert.Equal(first.CaCertificate, second.CaCertificate);
    }

    public static TheoryData<string?> InvalidKeys()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        return new TheoryData<string?>
        {
            null,
            "",
            "not base64 at all",
            Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()),
            Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()),
        };
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Invalid_public_key_is_a_400_with_a_field_error_and_nothing_is_recorded(string? publicKey)
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");

        var problem = await Client.Problem(await bob.Post("/me/viewer-certificate", new ViewerCertificateRequest(publicKey)), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("publicKey", out _), problem.ToString());
        Assert.DoesNotContain(await OperatorEvents(org, bobId), e => e is ViewerCertificateIssued);
    }

    [Theory]
    [InlineData("disable")]
    [InlineData("reset-password")]
    [InlineData("reset-2fa")]
    public async Task Losing_the_account_revokes_the_certificate_in_every_clients_next_policy(string action)
    {
        var org = await api.NewOrganization();
        var (bobId, bob) = await org.Operator("bob", "technician");
        if (action == "reset-2fa")
        {
            await RevocationTests.EnrolTwoFactor(bob);
        }

        using var agent = await org.Agent("pc1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await bob.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())));
        var current = await agent.Policy();
        Assert.Empty(current.Policy.RevokedViewerSerials);
        var poll = agent.Http.Get("/agent/policy?wait=30", current.Policy.Version.ToString(CultureInfo.InvariantCulture));

        await org.Owner.PostOk<OperatorActionResponse>($"/operators/{bobId}/{action}", new OperatorActionRequest("left the company", null));

        var woken = await Client.Read<SignedPolicy>(await poll.WaitAsync(Bounded), HttpStatusCode.OK);
        Assert.True(PolicySignature.Verify(woken, agent.Enrolment.PolicyPublicKey));
        Assert.True(woken.Policy.Version > current.Policy.Version);
        Assert.Equal([issued.Serial], woken.Policy.RevokedViewerSerials);
        Assert.Equal(current.Policy.ViewerCa, woken.Policy.ViewerCa);

        var revoked = Assert.Single((await OrganizationEvents(org)).OfType<ViewerCertificatesRevoked>());
        Assert.Equal(bobId, revoked.OperatorId);
        Assert.Equal([new RevokedViewerCertificate(issued.Serial, issued.NotAfter)], revoked.Certificates);
    }

    [Fact]
    public async Task Without_certificates_an_account_change_revokes_nothing_and_leaves_policies_alone()
    {
        var org = await api.NewOrganization();
        var (bobId, _) = await org.Operator("bob", "technician");
        using var agent = await org.Agent("pc1");
        var before = await agent.Policy();

        await org.Owner.PostOk<OperatorActionResponse>($"/operators/{bobId}/disable", new OperatorActionRequest("left", null));

        Assert.DoesNotContain(await OrganizationEvents(org), e => e is ViewerCertificatesRevoked);
        Assert.Equal(before.Policy.Version, (await agent.Policy()).Policy.Version);
    }

    [Fact]
    public async Task An_organization_without_a_viewer_ca_gets_one_at_its_first_certificate_request()
    {
        var org = await api.NewOrganization();
        await StripViewerCa(org);

        using var agent = await org.Agent("pc1");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await org.Owner.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())));

        var created = (await OrganizationEvents(org)).OfType<ViewerCaCreated>().ToList();
        Assert.Equal(2, created.Count);
        Assert.Equal(issued.CaCertificate, created[^1].Certificate);
        Assert.Equal(issued.CaCertificate, (await agent.Policy()).Policy.ViewerCa);
    }

    [Fact]
    public async Task Concurrent_first_requests_create_one_viewer_ca_and_all_use_it()
    {
        var org = await api.NewOrganization();
        await StripViewerCa(org);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));

        var issued = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => org.Owner.PostOk<ViewerCertificateResponse>("/me/viewer-certificate", request)))
            .WaitAsync(Bounded);

        var created = (await OrganizationEvents(org)).OfType<ViewerCaCreated>().ToList();
        Assert.Equal(2, created.Count);
        Assert.All(issued, i => Assert.Equal(created[^1].Certificate, i.CaCertificate));
    }

    /// <summary>As if founded before viewer certificates existed: the organization's state without a CA.</summary>
    private async Task StripViewerCa(Support.Organization org)
    {
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession(org.Slug);
        session.Store((await session.Query<OrganizationState>().SingleAsync()) with { ViewerCa = null });
        await session.SaveChangesAsync();
    }

    private async Task<IReadOnlyList<object>> OperatorEvents(Support.Organization org, Guid operatorId)
    {
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(org.Slug);
        return (await session.Events.FetchStreamAsync(operatorId)).Select(e => e.Data).ToList();
    }

    private async Task<IReadOnlyList<object>> OrganizationEvents(Support.Organization org)
    {
        await using var session = api.Host.Services.GetRequiredService<IDocumentStore>().QuerySession(org.Slug);
        var id = (await session.Query<OrganizationState>().SingleAsync()).Id;
        return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
    }

    // GeneralName uniformResourceIdentifier is [6] IA5String (RFC 5280 4.2.1.6); the BCL has no reader for it.
    private static List<string> SubjectAlternativeUris(X509Certificate2 certificate)
    {
        var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
        var uris = new List<string>();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }
}
