using System.Security.Cryptography;
using System.Text;

namespace Control.Domain.Security;

/// <summary>
/// What the server keeps of an unattended password (RFC 5802 / RFC 7677, SCRAM-SHA-256): enough to verify a client's
/// proof and to prove itself, never enough to log in as the client or to recover the password.
/// </summary>
public sealed record ScramVerifier(string Salt, int Iterations, string StoredKey, string ServerKey);

/// <summary>
/// SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash). The password never crosses the wire: the client proves knowledge of
/// it against a fresh nonce, and the server (which holds only the verifier) proves it holds the verifier.
/// Passwords are taken as their UTF-8 bytes (no SASLprep; Control generates or validates them itself).
/// </summary>
public static class Scram
{
    public const int MinimumIterations = 4096;
    public const int DefaultIterations = 100_000;
    private const int KeyBytes = 32;

    public static ScramVerifier CreateVerifier(string password, byte[] salt, int iterations = DefaultIterations)
    {
        if (iterations < MinimumIterations)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), $"SCRAM needs at least {MinimumIterations} iterations.");
        }

        var salted = SaltedPassword(password, salt, iterations);
        var storedKey = SHA256.HashData(Hmac(salted, "Client Key"));
        var serverKey = Hmac(salted, "Server Key");
        return new ScramVerifier(Convert.ToBase64String(salt), iterations, Convert.ToBase64String(storedKey), Convert.ToBase64String(serverKey));
    }

    public static byte[] SaltedPassword(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, KeyBytes);

    /// <summary>The client's proof for an exchange: ClientKey XOR HMAC(StoredKey, AuthMessage).</summary>
    public static byte[] ClientProof(byte[] saltedPassword, string authMessage)
    {
        var clientKey = Hmac(saltedPassword, "Client Key");
        var signature = Hmac(SHA256.HashData(clientKey), authMessage);
        return Xor(clientKey, signature);
    }

    /// <summary>The server's check of a proof, in constant time.</summary>
    public static bool VerifyClientProof(ScramVerifier verifier, string authMessage, byte[] proof)
    {
        var storedKey = Convert.FromBase64String(verifier.StoredKey);
        if (proof.Length != storedKey.Length)
        {
            return false;
        }

        var clientKey = Xor(proof, Hmac(storedKey, authMessage));
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), storedKey);
    }

    /// <summary>The server's signature (the client checks it to know the server holds the verifier).</summary>
    public static byte[] ServerSignature(ScramVerifier verifier, string authMessage) => Hmac(Convert.FromBase64String(verifier.ServerKey), authMessage);

    /// <summary>The same signature computed by the client from its salted password.</summary>
    public static byte[] ServerSignature(byte[] saltedPassword, string authMessage) => Hmac(Hmac(saltedPassword, "Server Key"), authMessage);

    /// <summary>RFC 5802 AuthMessage: client-first-message-bare "," server-first-message "," client-final-message-without-proof.</summary>
    public static string AuthMessage(string clientFirstBare, string serverFirst, string clientFinalWithoutProof) =>
        $"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}";

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static byte[] Xor(byte[] a, byte[] b)
    {
        var result = new byte[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = (byte)(a[i] ^ b[i]);
        }

        return result;
    }
}
