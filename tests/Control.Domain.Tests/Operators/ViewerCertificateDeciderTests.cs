using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.Organizations;

namespace Control.Domain.Tests.Operators;

/// <summary>Given the operator's and the organization's events, when a viewer certificate is issued or revoked, then events or a refusal.</summary>
public class ViewerCertificateDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid OrgId = Guid.CreateVersion7();
    private static readonly Guid TargetId = Guid.CreateVersion7();
    private static readonly Actor Owner = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");
    private static readonly Actor Target = Actor.Operator(TargetId, "bob", "acme");

    private static OperatorRegistered Registered() => new(TargetId, OrgId, "acme", "bob", OperatorRole.Technician, "hash", Owner, T0);

    private static ViewerCertificateIssued Issued(string serial, DateTimeOffset at, TimeSpan lifetime) =>
        new(TargetId, serial, "bob@acme", "fingerprint", at + lifetime, Target, at);

    private static readonly OrganizationCreated Founded = new(OrgId, "acme", "Acme", Owner, T0);

    private static ViewerCertificatesRevoked Revoked(params string[] serials) =>
        new(OrgId, TargetId, serials.Select(s => new RevokedViewerCertificate(s, T0.AddHours(8))).ToList(), Owner, T0.AddMinutes(30));

    public static TheoryData<string, object[], object[], DateTimeOffset, string[]> Revocations => new()
    {
        { "no certificate: nothing to revoke", [Registered()], [Founded], T0.AddHours(1), [] },
        { "one unexpired certificate is revoked", [Registered(), Issued("A1", T0, TimeSpan.FromHours(8))], [Founded], T0.AddHours(1), ["A1"] },
        { "expired certificates are left out", [Registered(), Issued("A1", T0, TimeSpan.FromHours(1)), Issued("B2", T0.AddMinutes(10), TimeSpan.FromHours(8))], [Founded], T0.AddHours(2), ["B2"] },
        { "all expired: nothing to revoke", [Registered(), Issued("A1", T0, TimeSpan.FromHours(1))], [Founded], T0.AddHours(2), [] },
        { "every unexpired certificate at once", [Registered(), Issued("A1", T0, TimeSpan.FromHours(8)), Issued("B2", T0.AddMinutes(5), TimeSpan.FromHours(8))], [Founded], T0.AddHours(1), ["A1", "B2"] },
        { "already revoked ones are not revoked again", [Registered(), Issued("A1", T0, TimeSpan.FromHours(8)), Issued("B2", T0.AddMinutes(40), TimeSpan.FromHours(8))], [Founded, Revoked("A1")], T0.AddHours(1), ["B2"] },
        { "a repeated revocation is a no-op", [Registered(), Issued("A1", T0, TimeSpan.FromHours(8))], [Founded, Revoked("A1")], T0.AddHours(1), [] },
    };

    [Theory]
    [MemberData(nameof(Revocations))]
    public void Revocation_lists_the_unexpired_certificates_not_yet_revoked(string because, object[] operatorEvents, object[] organizationEvents, DateTimeOffset now, string[] expected)
    {
        var state = operatorEvents.Aggregate((Operator?)null, Operator.Evolve)!;
        var organization = organizationEvents.Aggregate((Organization?)null, Organization.Evolve)!;

        var decision = OperatorDecider.Decide(new RevokeViewerCertificates(), state, organization, Owner, now);

        Assert.False(decision.IsRefused, because);
        if (expected.Length == 0)
        {
            Assert.Empty(decision.Events);
            return;
        }

        var revoked = Assert.IsType<ViewerCertificatesRevoked>(Assert.Single(decision.Events));
        Assert.Equal(expected, revoked.Certificates.Select(c => c.Serial));
        Assert.Equal((OrgId, TargetId, Owner, now), (revoked.OrganizationId, revoked.OperatorId, revoked.By, revoked.At));
        var after = Organization.Evolve(organization, revoked)!;
        Assert.Equal(organization.PolicyRevision + 1, after.PolicyRevision);
        Assert.Subset(after.RevokedViewerSerials(now).ToHashSet(), expected.ToHashSet());
    }

    [Fact]
    public void Issuing_records_the_certificate_so_it_can_be_revoked()
    {
        var state = Operator.Start(Registered());
        var decision = OperatorDecider.Decide(new IssueViewerCertificate("0A1B", "fingerprint", T0.AddHours(8), 0), state, Target, T0);

        var issued = Assert.IsType<ViewerCertificateIssued>(Assert.Single(decision.Events));
        Assert.Equal(("0A1B", "bob@acme", "fingerprint", T0.AddHours(8), Target, T0), (issued.Serial, issued.Alias, issued.PublicKeyFingerprint, issued.NotAfter, issued.By, issued.At));
        Assert.Equal([new IssuedViewerCertificate("0A1B", T0.AddHours(8))], Operator.Evolve(state, issued)!.ViewerCertificates);
    }

    [Fact]
    public void Issuing_forgets_certificates_that_have_expired()
    {
        var state = new object[] { Registered(), Issued("A1", T0, TimeSpan.FromHours(1)), Issued("B2", T0.AddHours(2), TimeSpan.FromHours(8)) }
            .Aggregate((Operator?)null, Operator.Evolve)!;
        Assert.Equal(["B2"], state.ViewerCertificates.Select(c => c.Serial));
    }

    [Fact]
    public void A_disabled_operator_gets_no_certificate()
    {
        var state = new object[] { Registered(), new OperatorDisabled(TargetId, Owner, T0) }.Aggregate((Operator?)null, Operator.Evolve)!;
        var decision = OperatorDecider.Decide(new IssueViewerCertificate("0A1B", "fingerprint", T0.AddHours(8), state.SecurityStamp), state, Target, T0.AddMinutes(1));
        Assert.Equal("viewer_certificate.account_inactive", decision.Refusal?.Code);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void A_request_whose_token_predates_a_password_reset_gets_no_certificate()
    {
        // A reset leaves the account active; only the stamp tells that the requester's token is from before it.
        var state = new object[] { Registered(), new OperatorPasswordReset(TargetId, "code-hash", T0.AddDays(3), Owner, T0) }.Aggregate((Operator?)null, Operator.Evolve)!;
        var decision = OperatorDecider.Decide(new IssueViewerCertificate("0A1B", "fingerprint", T0.AddHours(8), state.SecurityStamp - 1), state, Target, T0.AddMinutes(1));
        Assert.Equal("viewer_certificate.session_ended", decision.Refusal?.Code);
        Assert.Empty(decision.Events);
    }
}
