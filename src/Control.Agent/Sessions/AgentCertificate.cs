using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Control.Agent.Storage;

namespace Control.Agent.Sessions;

/// <summary>
/// The agent's TLS certificate: self-signed with its enrolment key. Viewers do not trust it through any CA: they pin
/// the SHA-256 of its public key, which the API recorded at enrolment and publishes in the directory.
/// </summary>
internal static class AgentCertificate
{
    public static X509Certificate2 Create(ECDsa enrolmentKey, Enrolment enrolment, DateTimeOffset now)
    {
        var request = new CertificateRequest($"CN={enrolment.ClientNumber}, O={enrolment.Organization}", enrolmentKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(now.AddHours(-1), now.AddYears(1));
    }
}
