using Microsoft.AspNetCore.DataProtection;

namespace Control.Api.Infrastructure;

/// <summary>
/// Encrypts server secrets that must be readable again (TOTP seeds, policy-signing keys) with ASP.NET Core Data
/// Protection, whose key ring lives in PostgreSQL encrypted under the master key. The purpose string binds each
/// ciphertext to its use and owner, so one cannot be replayed as another.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _root = provider.CreateProtector("control.secrets.v1");

    public string Protect(ReadOnlySpan<byte> plaintext, string purpose) =>
        Convert.ToBase64String(_root.CreateProtector(purpose).Protect(plaintext.ToArray()));

    public byte[] Unprotect(string protectedValue, string purpose) =>
        _root.CreateProtector(purpose).Unprotect(Convert.FromBase64String(protectedValue));
}
