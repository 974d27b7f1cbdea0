using System.Security.Cryptography;
using System.Text;
using Control.Api.Features.PolicyDelivery;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Tests.Features;

/// <summary>
/// Which receipts a process counts: one whose digests contradict a part it served at that revision never; one for a
/// revision it did not sign (another process served it, or this one before a restart) on the agent's signature alone.
/// </summary>
public class ServedPolicyPartsTests
{
    private static readonly Client Desk = new()
    {
        Id = Guid.CreateVersion7(), OrganizationId = Guid.CreateVersion7(), OrganizationSlug = "acme", Number = 123456789,
        PublicKey = "unused", KeyFingerprint = "unused", CredentialHash = "unused",
    };

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ServedPolicyParts _served = new();

    [Fact]
    public void Receipt_NamingThePartsServedHere_Counts()
    {
        Serve(clientRevision: 5, organizationRevision: 2);

        Assert.True(_served.Acknowledges(Desk, _key, Receipt(5, Part(Desk.Id, 5), 2, Part(Desk.OrganizationId, 2))));
    }

    [Fact]
    public void Receipt_WithOtherContentAtARevisionServedHere_DoesNotCount()
    {
        Serve(clientRevision: 5, organizationRevision: 2);

        Assert.False(_served.Acknowledges(Desk, _key, Receipt(5, Part(Desk.Id, 5, "doctored"), 2, Part(Desk.OrganizationId, 2))));
    }

    [Fact]
    public void Receipt_ForARevisionThisProcessNeverSigned_CountsOnItsSignature()
    {
        Serve(clientRevision: 5, organizationRevision: 2);

        Assert.True(_served.Acknowledges(Desk, _key, Receipt(6, Part(Desk.Id, 6), 2, Part(Desk.OrganizationId, 2))));
        Assert.False(_served.Acknowledges(Desk, ECDsa.Create(ECCurve.NamedCurves.nistP256), Receipt(6, Part(Desk.Id, 6), 2, Part(Desk.OrganizationId, 2))));
    }

    private void Serve(long clientRevision, long organizationRevision)
    {
        _served.Record(Desk.Id, clientRevision, Encoding.UTF8.GetBytes(Content(Desk.Id, clientRevision)));
        _served.Record(Desk.OrganizationId, organizationRevision, Encoding.UTF8.GetBytes(Content(Desk.OrganizationId, organizationRevision)));
    }

    private static string Content(Guid part, long revision, string variant = "") => $"{{\"part\":\"{part}\",\"revision\":{revision}{variant}}}";

    private static string Part(Guid part, long revision, string variant = "") => PolicyReceipts.Digest(Encoding.UTF8.GetBytes(Content(part, revision, variant)));

    private PolicyAcknowledgement Receipt(long clientRevision, string clientDigest, long organizationRevision, string organizationDigest) =>
        PolicyReceipts.Sign(_key, Desk.Id, clientRevision, clientDigest, organizationRevision, organizationDigest);
}
