using System.Security.Cryptography;
using System.Text;

namespace Control.Domain.Security;

/// <summary>
/// The server (agent) side of one SCRAM-SHA-256 exchange (RFC 5802 / RFC 7677, no channel binding: the TLS session is
/// already mutually authenticated and the agent's key pinned). Holds only the verifier; never sees the password.
/// </summary>
public sealed class ScramServer(ScramVerifier verifier)
{
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    /// <summary>The server-first-message for a client-first-message, or null when that message is malformed.</summary>
    public string? Challenge(string clientFirst)
    {
        if (_serverFirst is not null || !clientFirst.StartsWith("n,,", StringComparison.Ordinal) || clientFirst.Length > 512)
        {
            return null;
        }

        _clientFirstBare = clientFirst[3..];
        var clientNonce = ScramText.Attribute(_clientFirstBare, 'r');
        if (clientNonce is not { Length: >= 16 } || ScramText.Attribute(_clientFirstBare, 'n') is null)
        {
            return null;
        }

        _nonce = clientNonce + ScramText.NewNonce();
        _serverFirst = $"r={_nonce},s={verifier.Salt},i={verifier.Iterations}";
        return _serverFirst;
    }

    /// <summary>Checks the client-final-message: the server-final-message when the proof is right, else null.</summary>
    public string? Verify(string clientFinal)
    {
        if (_serverFirst is null || _clientFirstBare is null || clientFinal.Length > 512)
        {
            return null;
        }

        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return null;
        }

        var withoutProof = clientFinal[..proofAt];
        if (ScramText.Attribute(withoutProof, 'c') != ScramText.NoChannelBinding
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(ScramText.Attribute(withoutProof, 'r') ?? ""), Encoding.UTF8.GetBytes(_nonce!)))
        {
            return null;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        }
        catch (FormatException)
        {
            return null;
        }

        var authMessage = Scram.AuthMessage(_clientFirstBare, _serverFirst, withoutProof);
        return Scram.VerifyClientProof(verifier, authMessage, proof)
            ? "v=" + Convert.ToBase64String(Scram.ServerSignature(verifier, authMessage))
            : null;
    }
}

/// <summary>The client (viewer) side of one SCRAM-SHA-256 exchange.</summary>
public sealed class ScramClient(string user, string password)
{
    private readonly string _clientFirstBare = $"n={ScramText.EscapeName(user)},r={ScramText.NewNonce()}";
    private string? _authMessage;
    private byte[]? _saltedPassword;

    public string First() => "n,," + _clientFirstBare;

    /// <summary>The client-final-message for the server's challenge, or null when the challenge is not acceptable.</summary>
    public string? Respond(string serverFirst)
    {
        var nonce = ScramText.Attribute(serverFirst, 'r');
        var salt = ScramText.Attribute(serverFirst, 's');
        if (nonce is null || salt is null || !int.TryParse(ScramText.Attribute(serverFirst, 'i'), out var iterations)
            || !nonce.StartsWith(ScramText.Attribute(_clientFirstBare, 'r')!, StringComparison.Ordinal)
            // A hostile peer could ask for a billion iterations to burn our CPU, or very few to ease cracking.
            || iterations is < Scram.MinimumIterations or > 10_000_000)
        {
            return null;
        }

        byte[] saltBytes;
        try
        {
            saltBytes = Convert.FromBase64String(salt);
        }
        catch (FormatException)
        {
            return null;
        }

        _saltedPassword = Scram.SaltedPassword(password, saltBytes, iterations);
        var withoutProof = $"c={ScramText.NoChannelBinding},r={nonce}";
        _authMessage = Scram.AuthMessage(_clientFirstBare, serverFirst, withoutProof);
        return $"{withoutProof},p={Convert.ToBase64String(Scram.ClientProof(_saltedPassword, _authMessage))}";
    }

    /// <summary>Whether the server proved it holds the verifier (a fake agent cannot).</summary>
    public bool ServerIsAuthentic(string serverFinal)
    {
        if (_saltedPassword is null || _authMessage is null || ScramText.Attribute(serverFinal, 'v') is not { } signature)
        {
            return false;
        }

        try
        {
            return CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(signature), Scram.ServerSignature(_saltedPassword, _authMessage));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

internal static class ScramText
{
    /// <summary>base64("n,,"): the client neither uses nor supports channel binding.</summary>
    public const string NoChannelBinding = "biws";

    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    public static string EscapeName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);

    /// <summary>The value of attribute <paramref name="name"/> in a comma-separated SCRAM message, or null.</summary>
    public static string? Attribute(string message, char name)
    {
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[0] == name && part[1] == '=')
            {
                return part[2..];
            }
        }

        return null;
    }
}
