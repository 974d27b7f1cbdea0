using System.Text.Json;
using Control.Domain.Clients;
using Control.Domain.Contracts;
using Control.Domain.Security;

namespace Control.Domain.Tests.Security;

public class PolicyJsonTests
{
    private static ClientPolicy FullPolicy() => new(
        ClientPolicy.CurrentSchema, "acme", Guid.NewGuid(), "123456789", "kiosk\u00e9@acme", Licensed: true, Removed: false,
        new PolicyAcl(true, ["*@acme", "al\"ice@acme", "b\\ob\n@acme"]),
        new PolicyUnattended(true, true, new PolicyScramVerifier("c2FsdA==", 600000, "c3RvcmVk", "c2VydmVy")),
        TokenEpoch: 3, new PolicyTwoFactor(true, "SHA1", 6, 30, "ZW5jcnlwdGVk"), new PolicyPermissions(true, false, true, ["control-session"]),
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", ["0a1b", "ff"], [Guid.NewGuid()], ["token-1"],
        new PolicySessionSettings(true, false), Version: long.MaxValue - 1, "2026-11-30T01:00:00Z");

    [Fact]
    public void CanonicalBytes_FromTheGeneratedSerializer_EqualTheReflectionSerializersWithWebDefaults()
    {
        // Agents of older releases canonicalize through reflection: the generated code must give them the same bytes.
        var (client, organization) = PolicyComposer.Split(FullPolicy());
        var reference = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal(CanonicalJson.Serialize(client, reference), PolicySignature.CanonicalBytes(client));
        Assert.Equal(CanonicalJson.Serialize(organization, reference), PolicySignature.CanonicalBytes(organization));
    }

    [Fact]
    public void SignedPolicy_ReadWithTheGeneratedSerializer_EqualsTheReflectionRead_AndStillVerifies()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var policy = FullPolicy();
        var signed = PolicySignature.Sign(policy, key, "key-1");
        var json = JsonSerializer.SerializeToUtf8Bytes(signed, PolicySignature.Json);

        var generated = JsonSerializer.Deserialize(json, PolicyJsonContext.Default.SignedPolicy)!;
        var reflected = JsonSerializer.Deserialize<SignedPolicy>(json, PolicySignature.Json)!;
        Assert.Equal(PolicySignature.CanonicalBytes(reflected.Client.Policy), PolicySignature.CanonicalBytes(generated.Client.Policy));
        Assert.Equal(PolicySignature.CanonicalBytes(reflected.Organization.Policy), PolicySignature.CanonicalBytes(generated.Organization.Policy));
        Assert.Equal(reflected.Client.Signature, generated.Client.Signature);
        Assert.Equal(reflected.Organization.Signature, generated.Organization.Signature);
        Assert.True(PolicySignature.Verify(generated, key));
        // Split and combined again, the parts are the policy they were made from.
        Assert.Equal(JsonSerializer.Serialize(policy, PolicyJsonContext.Default.ClientPolicy), JsonSerializer.Serialize(generated.Policy, PolicyJsonContext.Default.ClientPolicy));
    }

    [Fact]
    public void CanonicalBytes_ShortcutAndGeneralCanonicalizer_AgreeForPlainAndAwkwardText()
    {
        // The shortcut (sorted members, no escapes) must give exactly what the general canonicalizer gives, and text that
        // needs an escape must take the general way: quotes, backslashes, control characters, non-ASCII, HTML-ish signs.
        var random = new Random(8785);
        var alphabet = "abcXYZ019@.-_ <>&'+\"\\\n\t\u0001\u007f\u00e9\u2028\u20ac\ud83d\ude00".ToCharArray();
        string Text() => new(Enumerable.Range(0, random.Next(0, 10)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
        var reference = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        for (var round = 0; round < 300; round++)
        {
            var policy = FullPolicy() with
            {
                Organization = Text(),
                Alias = round % 3 == 0 ? null : Text(),
                Acl = new PolicyAcl(true, [Text(), Text()]),
                ViewerCa = round % 2 == 0 ? null : Text(),
                IssuedAt = Text(),
            };
            var (client, organization) = PolicyComposer.Split(policy);
            Assert.Equal(CanonicalJson.Serialize(client, reference), PolicySignature.CanonicalBytes(client));
            Assert.Equal(CanonicalJson.Serialize(organization, reference), PolicySignature.CanonicalBytes(organization));
        }

        var (plainClient, plainOrganization) = PolicyComposer.Split(
            FullPolicy() with { Acl = new PolicyAcl(true, ["*@acme"]), Alias = "kiosk@acme", ViewerCa = "-----BEGIN CERTIFICATE-----" });
        Assert.Equal(CanonicalJson.Serialize(plainClient, reference), PolicySignature.CanonicalBytes(plainClient));
        Assert.Equal(CanonicalJson.Serialize(plainOrganization, reference), PolicySignature.CanonicalBytes(plainOrganization));
    }
}
