using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Domain.Tests.Security;

public class PolicyJsonTests
{
    private static ClientPolicy FullPolicy() => new(
        ClientPolicy.CurrentSchema, "acme", Guid.NewGuid(), "123456789", "kiosk\u00e9@acme", Licensed: true, Removed: false,
        new PolicyAcl(true, ["*@acme", "al\"ice@acme", "b\\ob\n@acme"]),
        new PolicyUnattended(true, true, new PolicyScramVerifier("c2FsdA==", 600000, "c3RvcmVk", "c2VydmVy")),
        TokenEpoch: 3, new PolicyTwoFactor(true, "SHA1", 6, 30, "ZW5jcnlwdGVk"), new PolicyPermissions(true, false, true),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", ["0a1b", "ff"], [Guid.NewGuid()], ["token-1"],
        new PolicySessionSettings(true, false), Version: long.MaxValue - 1, "2026-11-30T01:00:00Z");

    [Fact]
    public void CanonicalBytes_FromTheGeneratedSerializer_EqualTheReflectionSerializersWithWebDefaults()
    {
        // Agents of older releases canonicalize through reflection: the generated code must give them the same bytes.
        var policy = FullPolicy();
        Assert.Equal(CanonicalJson.Serialize(policy, new JsonSerializerOptions(JsonSerializerDefaults.Web)), PolicySignature.CanonicalBytes(policy));
    }

    [Fact]
    public void SignedPolicy_ReadWithTheGeneratedSerializer_EqualsTheReflectionRead_AndStillVerifies()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var signed = PolicySignature.Sign(FullPolicy(), key, "key-1");
        var json = JsonSerializer.SerializeToUtf8Bytes(signed, PolicySignature.Json);

        var generated = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.SignedPolicy)!;
        var reflected = JsonSerializer.Deserialize<SignedPolicy>(json, PolicySignature.Json)!;
        Assert.Equal(PolicySignature.CanonicalBytes(reflected.Policy), PolicySignature.CanonicalBytes(generated.Policy));
        Assert.Equal(reflected.Signature, generated.Signature);
        Assert.True(PolicySignature.Verify(generated, key));
    }
}
