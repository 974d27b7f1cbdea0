using System.Security.Cryptography;
using Control.Agent.Policies;
using Control.Agent.Storage;
using Control.Agent.Tests.Infrastructure;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Agent.Tests;

/// <summary>The admission rules in isolation, one threat per case.</summary>
public sealed class PolicyGateTests : IDisposable
{
    private readonly ECDsa _organizationKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly Guid _clientId = Guid.CreateVersion7();
    private readonly Enrolment _enrolment;

    public PolicyGateTests()
    {
        _enrolment = new Enrolment("https://control.example.com", _clientId, "123456789", "acme", "kiosk1@acme", "ctl-agent.acme.x.y",
            Convert.ToBase64String(_organizationKey.ExportSubjectPublicKeyInfo()), new string('a', 64), DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void Admit_GenuineNewerPolicy_IsAccepted() => Assert.Null(PolicyGate.Admit(Sign(Policy(6)), _enrolment, InForce(5)));

    [Fact]
    public void Admit_FirstPolicy_IsAcceptedWhateverItsVersion() => Assert.Null(PolicyGate.Admit(Sign(Policy(1)), _enrolment, null));

    [Fact]
    public void Admit_SignedWithAnotherKey_IsRefused()
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("does not verify", PolicyGate.Admit(PolicySignature.Sign(Policy(6), impostor, "k"), _enrolment, InForce(5)), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_ChangedAfterSigning_IsRefused()
    {
        var signed = Sign(Policy(6));
        var loosened = new SignedPolicy(signed.Client with { Policy = signed.Client.Policy with { Permissions = new PolicyPermissions(true, true, true, ["control-session"]) } }, signed.Organization);
        Assert.Contains("does not verify", PolicyGate.Admit(loosened, _enrolment, InForce(5)), StringComparison.Ordinal);
        var widened = new SignedPolicy(signed.Client, signed.Organization with { Policy = signed.Organization.Policy with { AclEntries = ["*"] } });
        Assert.Contains("does not verify", PolicyGate.Admit(widened, _enrolment, InForce(5)), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_ThePartInForceWithChangedContent_IsRefused()
    {
        // A part equal to the one in force is not verified again: equal must mean the same bytes, not the same signature.
        var inForce = InForce(5);
        var loosened = new SignedPolicy(
            inForce.Client with { Policy = inForce.Client.Policy with { Revision = 6, Permissions = new PolicyPermissions(true, true, true, ["control-session"]) } }, inForce.Organization);
        Assert.Contains("does not verify", PolicyGate.Admit(loosened, _enrolment, inForce), StringComparison.Ordinal);
        var unchangedClient = Parts(5, 1, []);
        Assert.Null(PolicyGate.Admit(new SignedPolicy(inForce.Client, unchangedClient.Organization), _enrolment, inForce));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Admit_MissingOrMalformedSignature_IsRefused(string signature)
    {
        var signed = Sign(Policy(6));
        Assert.NotNull(PolicyGate.Admit(new SignedPolicy(signed.Client with { Signature = signature }, signed.Organization), _enrolment, InForce(5)));
        Assert.NotNull(PolicyGate.Admit(new SignedPolicy(signed.Client, signed.Organization with { Signature = signature }), _enrolment, InForce(5)));
    }

    [Fact]
    public void Admit_AnotherClientsPolicy_IsRefused() =>
        Assert.Contains("is for client", PolicyGate.Admit(Sign(AgentHarness.Policy(6, Guid.CreateVersion7())), _enrolment, InForce(5)), StringComparison.Ordinal);

    [Fact]
    public void Admit_AnotherOrganizationsPolicy_IsRefused() =>
        Assert.Contains("organization 'umbrella'", PolicyGate.Admit(Sign(Policy(6) with { Organization = "umbrella" }), _enrolment, InForce(5)), StringComparison.Ordinal);

    [Fact]
    public void Admit_UnknownSchema_IsRefused() =>
        Assert.Contains("schema", PolicyGate.Admit(Sign(Policy(6) with { Schema = "control.policy/v4" }), _enrolment, InForce(5)), StringComparison.Ordinal);

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Admit_OlderOrSameVersion_IsRefusedAsReplay(long version) =>
        Assert.Contains("(replayed or rolled back)", PolicyGate.Admit(Sign(Policy(version)), _enrolment, InForce(5)), StringComparison.Ordinal);

    [Fact]
    public void Admit_NewerClientPartWithAnOlderOrganizationPart_IsRefusedThoughTheSumGrows()
    {
        // In force: client r5 + organization r3 = v8. Offered: client r7 with the organization's r2 (a revoked viewer
        // certificate still valid there): v9, newer as a sum, older where it matters.
        var inForce = Parts(5, 3, revokedSerials: ["0a1b"]);
        var mixed = Parts(7, 2, revokedSerials: []);
        Assert.Contains("organization part r2 is older than r3", PolicyGate.Admit(mixed, _enrolment, inForce), StringComparison.Ordinal);
        Assert.Contains("client part r4 is older than r5", PolicyGate.Admit(Parts(4, 9, ["0a1b"]), _enrolment, inForce), StringComparison.Ordinal);
        Assert.Null(PolicyGate.Admit(Parts(5, 4, ["0a1b"]), _enrolment, inForce));
    }

    [Fact]
    public void Admit_PartsOfTwoOrganizations_AreRefused()
    {
        var signed = Sign(Policy(6));
        var foreign = new SignedPolicy(signed.Client, PolicySignature.Sign(signed.Client.Policy, Sign(Policy(6) with { Organization = "umbrella" }).Organization.Policy, _organizationKey, "k").Organization);
        Assert.Contains("does not verify", PolicyGate.Admit(foreign, _enrolment, InForce(5)), StringComparison.Ordinal);
    }

    [Fact]
    public void Authenticate_OlderVersion_IsFine_ForReadingTheCache() => Assert.Null(PolicyGate.Authenticate(Sign(Policy(4)), _enrolment));

    private ClientPolicy Policy(long version) => AgentHarness.Policy(version, _clientId, "alice@acme");

    private SignedPolicy Sign(ClientPolicy policy) => PolicySignature.Sign(policy, _organizationKey, "k");

    private SignedPolicy InForce(long version) => Sign(Policy(version));

    private SignedPolicy Parts(long clientRevision, long organizationRevision, IReadOnlyList<string> revokedSerials)
    {
        var (client, organization) = Control.Domain.Clients.PolicyComposer.Split(Policy(clientRevision));
        return PolicySignature.Sign(client, organization with { Revision = organizationRevision, RevokedViewerSerials = revokedSerials }, _organizationKey, "k");
    }

    public void Dispose() => _organizationKey.Dispose();
}
