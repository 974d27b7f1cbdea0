using System.Security.Cryptography;
using System.Text;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Api.Tests.Support;

/// <summary>An agent's side of the HTTP protocol, with a real P-256 key, for API tests (the real daemon has its own tests).</summary>
public sealed class TestAgent : IDisposable
{
    public ECDsa Key { get; private init; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string PublicKey => Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo());
    public EnrollResponse Enrolment { get; private set; } = null!;
    public Client Http { get; private set; } = null!;

    public static async Task<TestAgent> Enroll(Client anonymous, string licenseKey, string? alias = null)
    {
        var agent = new TestAgent();
        agent.Enrolment = await anonymous.PostOk<EnrollResponse>("/agent/enroll", new EnrollRequest(licenseKey, agent.PublicKey, alias, "test-host"));
        agent.Http = anonymous.AsAgent(agent.Enrolment.Credential);
        return agent;
    }

    /// <summary>The same agent talking to another API process.</summary>
    public TestAgent On(Client other) => new() { Enrolment = Enrolment, Http = other.AsAgent(Enrolment.Credential), Key = Key };

    public async Task<SignedPolicy> Policy()
    {
        var signed = await Http.GetOk<SignedPolicy>("/agent/policy");
        Assert.True(PolicySignature.Verify(signed, Enrolment.PolicyPublicKey), "the policy's signature does not verify with the pinned key");
        return signed;
    }

    /// <summary>The signed receipt for a policy this agent received, as the real agent builds it.</summary>
    public PolicyAcknowledgement Receipt(SignedPolicy policy) => PolicyReceipts.Sign(Key, Enrolment.ClientId, policy);

    public byte[] DecryptTotpSeed(string encrypted)
    {
        using var ecdh = ECDiffieHellman.Create(Key.ExportParameters(true));
        return PolicySecrets.Decrypt(ecdh, encrypted, PolicySecrets.TotpContext(Enrolment.ClientId));
    }

    public void Dispose() => Key.Dispose();
}
