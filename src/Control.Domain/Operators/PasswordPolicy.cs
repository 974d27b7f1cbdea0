using Control.Domain.Common;

namespace Control.Domain.Operators;

/// <summary>
/// NIST SP 800-63B memorized-secret rules: a minimum length, a generous maximum, no composition rules, and a
/// refusal of passwords that are common, breached, or built from the account's own context.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    /// <param name="commonPasswords">Lower-cased list of common and breached passwords (shipped with the API).</param>
    /// <param name="contextWords">Words an attacker would try first: the username, the organization's slug and name.</param>
    public static Refusal? Check(string password, IReadOnlySet<string> commonPasswords, params string[] contextWords)
    {
        // NIST counts each Unicode code point as one character.
        var length = password.EnumerateRunes().Count();
        if (length < MinimumLength)
        {
            return Refuse("password.too_short", $"The password must be at least {MinimumLength} characters long.");
        }

        if (length > MaximumLength)
        {
            return Refuse("password.too_long", $"The password must be at most {MaximumLength} characters long.");
        }

        var lowered = password.ToLowerInvariant();
        if (commonPasswords.Contains(lowered) || commonPasswords.Contains(Core(lowered)) || IsRepetitive(Core(lowered)))
        {
            return Refuse("password.common", "This password is on the list of common or breached passwords; choose another.");
        }

        foreach (var word in contextWords)
        {
            if (word.Length >= 3 && lowered.Contains(word.ToLowerInvariant(), StringComparison.Ordinal))
            {
                return Refuse("password.contains_context", "The password must not contain your username or the organization's name.");
            }
        }

        return null;
    }

    // "Summer2024!!!" is "summer" with decoration: strip leading and trailing digits and symbols.
    private static string Core(string password)
    {
        var core = password.Trim(TrimmedDecoration);
        return core.Length >= 4 ? core : password;
    }

    private static readonly char[] TrimmedDecoration = "0123456789!@#$%^&*()-_=+.,;:?/\\|~`'\" []{}<>".ToCharArray();

    // "aaaaaaaaaaaa" or "abcabcabcabc": a short unit repeated is as weak as the unit.
    private static bool IsRepetitive(string password)
    {
        for (var unit = 1; unit <= 4; unit++)
        {
            if (password.Length % unit == 0 && password.Length / unit >= 3)
            {
                var head = password[..unit];
                var repeated = true;
                for (var i = unit; i < password.Length && repeated; i += unit)
                {
                    repeated = string.CompareOrdinal(password, i, head, 0, unit) == 0;
                }

                if (repeated)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Refusal Refuse(string code, string message) => new(RefusalKind.Invalid, code, message);
}
