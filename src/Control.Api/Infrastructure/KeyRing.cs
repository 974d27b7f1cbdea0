using System.Security.Cryptography;
using System.Text;
using Control.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Control.Api.Infrastructure;

/// <summary>
/// Every server-side key is derived from one master key (HKDF-SHA256 with a purpose label), so the database alone
/// never holds what is needed to forge a token or decrypt a secret.
/// </summary>
public sealed class KeyRing
{
    private readonly byte[] _masterKey;

    public KeyRing(IOptions<ControlOptions> options)
    {
        _masterKey = Load(options.Value);
    }

    public byte[] Derive(string purpose, int length = 32) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, length, salt: [], info: Encoding.UTF8.GetBytes("control/" + purpose));

    private static byte[] Load(ControlOptions options)
    {
        var encoded = options.MasterKey;
        if (string.IsNullOrWhiteSpace(encoded) && !string.IsNullOrWhiteSpace(options.MasterKeyFile))
        {
            if (!File.Exists(options.MasterKeyFile))
            {
                throw new InvalidOperationException($"Control:MasterKeyFile points at '{options.MasterKeyFile}', which does not exist.");
            }

            encoded = File.ReadAllText(options.MasterKeyFile).Trim();
        }

        if (string.IsNullOrWhiteSpace(encoded))
        {
            throw new InvalidOperationException(
                "No master key: set Control__MasterKeyFile (a 0600 file with base64 of 32 random bytes, e.g. `openssl rand -base64 32`) or Control__MasterKey.");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("The master key is not valid base64.");
        }

        if (key.Length < 32)
        {
            throw new InvalidOperationException("The master key must be at least 32 bytes (base64 of 32 random bytes).");
        }

        return key;
    }
}
