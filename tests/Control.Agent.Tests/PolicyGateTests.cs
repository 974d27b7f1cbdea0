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
    public void Admit_GenuineNewerPolicy_IsAccepted() => Assert.Null(PolicyGate.Admit(Sign(Policy(6)), _enrolment, 5));

    [Fact]
    public void Admit_FirstPolicy_IsAcceptedWhateverItsVersion() => Assert.Null(PolicyGate.Admit(Sign(Policy(1)), _enrolment, null));

    [Fact]
    public void Admit_SignedWithAnotherKey_IsRefused()
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("does not verify", PolicyGate.Admit(PolicySignature.Sign(Policy(6), impostor, "k"), _enrolment, 5), StringComparison.Ordinal);
    }

    [Fact]
    public void Admit_ChangedAfterSigning_IsRefused()
    {
        var signed = Sign(Policy(6));
        var loosened = signed with { Policy = signed.Policy with { Permissions = new PolicyPermissions(true, true, true) } };
        Assert.Contains("does not verify", PolicyGate.Admit(loosened, _enrolment, 5), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Admit_MissingOrMalformedSignature_IsRefused(string signature)
    {
        var refusal = PolicyGate.Admit(Sign(Policy(6)) with { Signature = signature }, _enrolment, 5);
        Assert.NotNull(refusal);
    }

    [Fact]
    public void Admit_AnotherClientsPolicy_IsRefused() =>
        Assert.Contains("is for client", PolicyGate.Admit(Sign(AgentHarness.Policy(6, Guid.CreateVersion7())), _enrolment, 5), StringComparison.Ordinal);

    [Fact]
    public void Admit_AnotherOrganizationsPolicy_IsRefused() =>
        Assert.Contains("organization 'umbrella'", PolicyGate.Admit(Sign(Policy(6) with { Organization = "umbrella" }), _enrolment, 5), StringComparison.Ordinal);

    [Fact]
    public void Admit_UnknownSchema_IsRefused() =>
        Assert.Contains("schema", PolicyGate.Admit(Sign(Policy(6) with { Schema = "control.policy/v2" }), _enrolment, 5), StringComparison.Ordinal);

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Admit_OlderOrSameVersion_IsRefusedAsReplay(long version) =>
        Assert.Contains("not newer than v5", PolicyGate.Admit(Sign(Policy(version)), _enrolment, 5), StringComparison.Ordinal);

    [Fact]
    public void Authenticate_OlderVersion_IsFine_ForReadingTheCache() => Assert.Null(PolicyGate.Authenticate(Sign(Policy(4)), _enrolment));

    private ClientPolicy Policy(long version) => AgentHarness.Policy(version, _clientId, "alice@acme");

    private SignedPolicy Sign(ClientPolicy policy) => PolicySignature.Sign(policy, _organizationKey, "k");

    public void Dispose() => _organizationKey.Dispose();
}
