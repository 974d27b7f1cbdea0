namespace Control.Domain.Contracts;

// Identities on the wire: the viewer's short-lived certificate (signed by its organization's viewer CA) and the
// directory entry that tells a viewer where an agent listens and which key to pin.

/// <param name="PublicKey">The viewer's public key: base64 SubjectPublicKeyInfo, ECDSA P-256 only.</param>
public sealed record ViewerCertificateRequest(string? PublicKey);

/// <param name="Certificate">The issued certificate, base64 DER.</param>
/// <param name="Serial">Uppercase hex, exactly as <c>X509Certificate2.SerialNumber</c> prints it (what revocation lists carry).</param>
/// <param name="CaCertificate">The organization's viewer CA, base64 DER (the same one every client's policy carries).</param>
public sealed record ViewerCertificateResponse(string Alias, string Serial, string Certificate, string CaCertificate, DateTimeOffset NotAfter);

/// <summary>Where the agent accepts sessions (<c>control-agent run --listen</c>).</summary>
public sealed record AgentEndpointRequest(string? Host, int? Port);

/// <param name="KeyFingerprint">SHA-256 (lowercase hex) of the agent's enrolment public key: the viewer pins it.</param>
public sealed record DirectoryEntry(
    Guid ClientId, string ClientNumber, string? Alias, string Host, int Port, string KeyFingerprint, bool Online, DateTimeOffset? LastSeen);
