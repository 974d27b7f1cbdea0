using System.Security.Cryptography;
using System.Text;

namespace Control.Domain.Security;

/// <summary>
/// Secrets the agent must be able to use (its TOTP seed) travel inside the signed policy encrypted to the agent's own
/// P-256 key: ephemeral ECDH, HKDF-SHA256, AES-256-GCM, with the context (client id, purpose) as associated data.
/// Only that agent's private key opens it, so neither the policy cache on disk nor a copy of the policy leaks the seed.
/// Format: base64(ephemeral SPKI length (2 bytes, big-endian) | ephemeral SPKI | nonce (12) | tag (16) | ciphertext).
/// </summary>
public static class PolicySecrets
{
    public static string EncryptFor(string recipientPublicKeySpki, byte[] plaintext, string context)
    {
        using var recipient = ECDiffieHellman.Create();
        recipient.ImportSubjectPublicKeyInfo(Convert.FromBase64String(recipientPublicKeySpki), out _);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var ephemeralSpki = ephemeral.ExportSubjectPublicKeyInfo();
        var key = DeriveKey(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), ephemeralSpki, context);

        var output = new byte[2 + ephemeralSpki.Length + 12 + 16 + plaintext.Length];
        output[0] = (byte)(ephemeralSpki.Length >> 8);
        output[1] = (byte)ephemeralSpki.Length;
        ephemeralSpki.CopyTo(output, 2);
        var offset = 2 + ephemeralSpki.Length;
        RandomNumberGenerator.Fill(output.AsSpan(offset, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(offset, 12), plaintext, output.AsSpan(offset + 28), output.AsSpan(offset + 12, 16), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(output);
    }

    public static byte[] Decrypt(ECDiffieHellman recipient, string encrypted, string context)
    {
        var input = Convert.FromBase64String(encrypted);
        var spkiLength = (input[0] << 8) | input[1];
        var ephemeralSpki = input.AsSpan(2, spkiLength).ToArray();
        using var ephemeral = ECDiffieHellman.Create();
        ephemeral.ImportSubjectPublicKeyInfo(ephemeralSpki, out _);
        var key = DeriveKey(recipient.DeriveRawSecretAgreement(ephemeral.PublicKey), ephemeralSpki, context);
        var offset = 2 + spkiLength;
        var plaintext = new byte[input.Length - offset - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(input.AsSpan(offset, 12), input.AsSpan(offset + 28), input.AsSpan(offset + 12, 16), plaintext, Encoding.UTF8.GetBytes(context));
        return plaintext;
    }

    public static string TotpContext(Guid clientId) => $"control/client-totp/{clientId:N}";

    private static byte[] DeriveKey(byte[] sharedSecret, byte[] ephemeralSpki, string context) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, 32, salt: ephemeralSpki, info: Encoding.UTF8.GetBytes(context));
}
