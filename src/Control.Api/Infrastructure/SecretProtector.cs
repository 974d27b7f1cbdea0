using System.Security.Cryptography;

namespace Control.Api.Infrastructure;

/// <summary>
/// Encrypts secrets that must be readable again (TOTP seeds) with AES-256-GCM under a key derived from the master
/// key. The purpose is bound as associated data, so a ciphertext made for one use cannot be replayed as another.
/// Format: base64(version(1) | nonce(12) | tag(16) | ciphertext).
/// </summary>
public sealed class SecretProtector(KeyRing keys)
{
    private const byte FormatVersion = 1;
    private readonly byte[] _key = keys.Derive("secret-protection/v1");

    public string Protect(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var output = new byte[1 + 12 + 16 + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, plaintext, output.AsSpan(29), output.AsSpan(13, 16), System.Text.Encoding.UTF8.GetBytes(purpose));
        return Convert.ToBase64String(output);
    }

    public byte[] Unprotect(string protectedValue, string purpose)
    {
        var input = Convert.FromBase64String(protectedValue);
        if (input.Length < 29 || input[0] != FormatVersion)
        {
            throw new CryptographicException("Unknown protected-secret format.");
        }

        var plaintext = new byte[input.Length - 29];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(input.AsSpan(1, 12), input.AsSpan(29), input.AsSpan(13, 16), plaintext, System.Text.Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }
}
