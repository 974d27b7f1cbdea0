using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Sessions;

/// <summary>
/// The viewer's identity on the wire: its own ECDSA P-256 key (<c>viewer.key</c>, 0600, created once, never sent) and a
/// short-lived certificate for <c>user@namespace</c> signed by the organization's viewer CA (<c>viewer.crt</c>),
/// obtained at login and renewed when it is about to expire. Agents accept the certificate only while it is valid
/// and not revoked (disabling the operator or resetting their password revokes it).
/// </summary>
internal static class ViewerIdentity
{
    public const string KeyFile = "viewer.key";
    public const string CertificateFile = "viewer.crt";

    /// <summary>Renew when less than this is left, so a certificate does not expire during a session's handshake.</summary>
    private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(10);

    /// <summary>The certificate with its private key, renewed through the API when missing, expiring, or for another account.</summary>
    public static async Task<X509Certificate2> EnsureAsync(CliContext context, SignedInApi api, bool renew, CancellationToken cancellation)
    {
        var store = CredentialStore.For(context);
        // Not disposed: the returned certificate uses this key for the handshake (the CLI process is short-lived).
        var key = LoadOrCreateKey(store);
        if (!renew && Usable(context, store, api.Credentials, key) is { } existing)
        {
            return existing;
        }

        var issued = await api.PostAsync<ViewerCertificateResponse>(
            "me/viewer-certificate", new ViewerCertificateRequest(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())), cancellation);
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.Certificate));
        store.WritePrivate(CertificateFile, Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// The stored certificate with its key when <see cref="EnsureAsync"/> would use it as it is (this account's, the
    /// stored key's, more than the renewal margin left), without asking the API; else null.
    /// </summary>
    public static X509Certificate2? Current(CliContext context, Credentials account)
    {
        var store = CredentialStore.For(context);
        if (store.ReadText(KeyFile) is not { } keyPem)
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            return null;
        }

        return Usable(context, store, account, key);
    }

    private static X509Certificate2? Usable(CliContext context, CredentialStore store, Credentials account, ECDsa key)
    {
        if (store.ReadText(CertificateFile) is not { } pem)
        {
            return null;
        }

        try
        {
            using var existing = X509Certificate2.CreateFromPem(pem);
            return existing.NotAfter.ToUniversalTime() - RenewalMargin > context.Clock.GetUtcNow().UtcDateTime
                && ViewerCertificates.Alias(existing) == account.QualifiedName
                && existing.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo())
                ? existing.CopyWithPrivateKey(key)
                : null;
        }
        catch (CryptographicException)
        {
            // A damaged file: EnsureAsync replaces it.
            return null;
        }
    }

    /// <summary>The stored certificate with its key while it is still valid (used when the API cannot be reached), else null.</summary>
    public static X509Certificate2? Stored(CliContext context, SignedInApi api)
    {
        var store = CredentialStore.For(context);
        if (store.ReadText(CertificateFile) is not { } pem || store.ReadText(KeyFile) is not { } keyPem)
        {
            return null;
        }

        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var key = ECDsa.Create();
            key.ImportFromPem(keyPem);
            return certificate.NotAfter.ToUniversalTime() > context.Clock.GetUtcNow().UtcDateTime
                && ViewerCertificates.Alias(certificate) == $"{api.Credentials.Username}@{api.Credentials.Organization}"
                ? certificate.CopyWithPrivateKey(key)
                : null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    public static void Forget(CliContext context) => CredentialStore.For(context).DeleteFile(CertificateFile);

    private static ECDsa LoadOrCreateKey(CredentialStore store)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (store.ReadText(KeyFile) is { } pem)
        {
            try
            {
                key.ImportFromPem(pem);
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                throw CliException.Failure($"{Path.Combine(store.Directory, KeyFile)} is damaged; delete it and run control login again");
            }
        }

        var der = key.ExportPkcs8PrivateKey();
        try
        {
            store.WritePrivate(KeyFile, Encoding.ASCII.GetBytes(PemEncoding.Write("PRIVATE KEY", der)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }

        return key;
    }
}
