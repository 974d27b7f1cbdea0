using System.Security.Cryptography;
using System.Text;

namespace Control.Domain.Common;

/// <summary>
/// Rules for high-entropy secrets that Control hands out once (activation codes, recovery codes, tokens):
/// only their SHA-256 is kept, and comparisons never leak timing.
/// </summary>
public static class Secrets
{
    private const string Base32Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"; // no 0/O, 1/I/L: read aloud and typed by people

    /// <summary>A hex SHA-256 of a machine token, exactly as given. Fine for ≥ 80 bits of entropy; never for passwords.</summary>
    public static string HashToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A hex SHA-256 of a code that people type (dashes and case do not matter).</summary>
    public static string HashCode(string code) => HashToken(NormalizeCode(code));

    public static bool TokenMatches(string presented, string expectedHash) => HashesEqual(HashToken(presented), expectedHash);

    /// <summary>Whether the token matches any of the hashes; every hash is compared, so timing does not tell which one did.</summary>
    public static bool TokenMatchesAny(string presented, IEnumerable<string> expectedHashes)
    {
        var hash = HashToken(presented);
        var found = false;
        foreach (var expected in expectedHashes)
        {
            found |= HashesEqual(hash, expected);
        }

        return found;
    }

    public static bool CodeMatches(string presented, string expectedHash) => HashesEqual(HashCode(presented), expectedHash);

    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));

    /// <summary>Random code in groups of four from an unambiguous alphabet, e.g. <c>K7QX-M2PD-…</c>.</summary>
    public static string NewCode(int groups = 4)
    {
        var chars = new char[groups * 4];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Base32Alphabet[RandomNumberGenerator.GetInt32(Base32Alphabet.Length)];
        }

        return string.Join('-', Enumerable.Range(0, groups).Select(g => new string(chars, g * 4, 4)));
    }

    /// <summary>256 random bits, URL-safe base64 without padding.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    // People type codes with or without dashes, in any case.
    private static string NormalizeCode(string secret) => secret.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
}
