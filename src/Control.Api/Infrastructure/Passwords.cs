using Control.Domain.Common;
using Control.Domain.Operators;
using Microsoft.AspNetCore.Identity;

namespace Control.Api.Infrastructure;

/// <summary>ASP.NET Core Identity's PBKDF2 password hasher plus the NIST policy check.</summary>
public sealed class Passwords(CommonPasswords common)
{
    private static readonly PasswordHasher<Operator> Hasher = new();

    // Verified against when the username does not exist, so that "no such user" costs the same time as "wrong password".
    private static readonly string DecoyHash = Hasher.HashPassword(null!, Secrets.NewToken());

    public Refusal? CheckPolicy(string password, params string[] contextWords) => PasswordPolicy.Check(password, common.List, contextWords);

    /// <summary>The policy's message for a weak password, or null when it is fine or absent (absence is the validator's business).</summary>
    public string? Check(string? password, params string?[] contextWords) =>
        string.IsNullOrEmpty(password) ? null : CheckPolicy(password, contextWords.Where(w => w is not null).ToArray()!)?.Message;

    public string Hash(string password) => Hasher.HashPassword(null!, password);

    public bool Verify(string? hash, string password)
    {
        var result = Hasher.VerifyHashedPassword(null!, hash ?? DecoyHash, password);
        return hash is not null && result != PasswordVerificationResult.Failed;
    }
}
