using System.Buffers;
using System.Security.Cryptography;
using Control.Domain.Security;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// A client's policy as <c>GET /agent/policy</c> sends it: <c>{"client":PART,"organization":PART}</c>, where each PART is
/// <c>{"policy":CANONICAL,"signature":…,"keyId":…}</c>, serialized once when signed. The body is the two cached parts
/// written one after the other, so answering a woken agent copies bytes and computes nothing.
/// </summary>
public sealed record SignedPolicyDocument(long Version, byte[] ClientPart, byte[] OrganizationPart)
{
    private static readonly byte[] Start = "{\"client\":"u8.ToArray();
    private static readonly byte[] Middle = ",\"organization\":"u8.ToArray();
    private static readonly byte[] End = "}"u8.ToArray();

    public long Length => Start.Length + ClientPart.Length + Middle.Length + OrganizationPart.Length + End.Length;

    public void WriteTo(IBufferWriter<byte> output)
    {
        output.Write(Start);
        output.Write(ClientPart);
        output.Write(Middle);
        output.Write(OrganizationPart);
        output.Write(End);
    }

    /// <summary>A signed part: the canonical JSON that was signed as its policy (any member order is valid JSON for the agent).</summary>
    internal static byte[] Part<T>(T part, byte[] canonical, ECDsa signingKey, string keyId)
        where T : class
    {
        var signed = PolicySignature.Sign(part, canonical, signingKey, keyId);
        var body = new ArrayBufferWriter<byte>(canonical.Length + 256);
        using (var writer = new System.Text.Json.Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("policy");
            writer.WriteRawValue(canonical, skipInputValidation: true);
            writer.WriteString("signature", signed.Signature);
            writer.WriteString("keyId", signed.KeyId);
            writer.WriteEndObject();
        }

        return body.WrittenSpan.ToArray();
    }
}
