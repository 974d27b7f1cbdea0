using System.Net.Security;
using System.Security.Authentication;

namespace Control.Domain.Sessions;

/// <summary>
/// The only TLS the session transport speaks, on both ends: TLS 1.3, or TLS 1.2 with ECDHE key exchange and an AEAD
/// cipher (AES-GCM, ChaCha20-Poly1305). Agent keys are ECDSA P-256, so the TLS 1.2 suites are the ECDSA ones. Anything
/// else (TLS 1.1, CBC or RSA key exchange) fails in the handshake.
/// </summary>
public static class SessionTransport
{
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static IReadOnlyList<TlsCipherSuite> CipherSuites { get; } =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Whether a negotiated suite is one of ours (a last check after the handshake).</summary>
    public static bool IsAllowed(SslProtocols protocol, TlsCipherSuite suite) =>
        (protocol is SslProtocols.Tls12 or SslProtocols.Tls13) && CipherSuites.Contains(suite);

    public static string ProtocolName(SslProtocols protocol) => protocol switch
    {
        SslProtocols.Tls13 => "TLS 1.3",
        SslProtocols.Tls12 => "TLS 1.2",
        _ => protocol.ToString(),
    };
}
