using System.Text.RegularExpressions;

namespace Control.Domain.Access;

public enum AclEntryKind
{
    /// <summary><c>alice@acme</c>: one viewer identity.</summary>
    Alias,
    /// <summary><c>*@acme</c>, <c>*-support@acme</c>: any name matching the pattern within one namespace.</summary>
    Wildcard,
    /// <summary><c>123456789</c>: one client id (a machine that connects out).</summary>
    ClientNumber,
    /// <summary><c>*</c>: anyone at all; only with an explicit confirmation.</summary>
    Everyone,
}

/// <summary>
/// One access-control-list entry. Wildcards may only stand in the name part: the namespace is always literal, so a
/// pattern never reaches across organizations, and <c>*</c> matches no '@' (it cannot swallow a namespace).
/// </summary>
public sealed partial record AclEntry(string Value, AclEntryKind Kind)
{
    public const int MaxLength = 100;

    public static bool TryParse(string? text, out AclEntry entry, out string error)
    {
        entry = null!;
        error = "";
        var value = text?.Trim().ToLowerInvariant() ?? "";
        if (value.Length is 0 or > MaxLength)
        {
            error = $"An ACL entry is 1-{MaxLength} characters: an alias (alice@acme), a wildcard alias (*@acme), a client id (9 digits) or *.";
            return false;
        }

        if (value == "*")
        {
            entry = new AclEntry(value, AclEntryKind.Everyone);
            return true;
        }

        if (ClientNumberPattern().IsMatch(value))
        {
            entry = new AclEntry(value, AclEntryKind.ClientNumber);
            return true;
        }

        var at = value.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != value.LastIndexOf('@') || !NamespacePattern().IsMatch(value[(at + 1)..]) || !NamePattern().IsMatch(value[..at]))
        {
            error = $"'{text}' is not an alias (name@namespace), a wildcard alias (*@namespace, *-support@namespace), a 9-digit client id, or *.";
            return false;
        }

        entry = new AclEntry(value, value.Contains('*', StringComparison.Ordinal) ? AclEntryKind.Wildcard : AclEntryKind.Alias);
        return true;
    }

    /// <summary>Whether a verified viewer identity (an alias, or a client number as digits) is admitted by this entry.</summary>
    public bool Matches(string identity)
    {
        identity = identity.ToLowerInvariant();
        return Kind switch
        {
            AclEntryKind.Everyone => true,
            AclEntryKind.Alias or AclEntryKind.ClientNumber => string.Equals(Value, identity, StringComparison.Ordinal),
            AclEntryKind.Wildcard => Regex.IsMatch(identity, WildcardPattern(Value), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)),
            _ => false,
        };
    }

    public override string ToString() => Value;

    // The static Regex.IsMatch keeps recently used patterns compiled (Regex.CacheSize): checking thousands of clients'
    // entries (an access review, an offboarding) does not build a regex per entry.
    private static string WildcardPattern(string pattern) => "^" + string.Join("[^@]*", pattern.Split('*').Select(Regex.Escape)) + "$";

    [GeneratedRegex("^[1-9][0-9]{8}$")]
    private static partial Regex ClientNumberPattern();

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$")]
    private static partial Regex NamespacePattern();

    // A name: letters, digits, '.', '_', '-', and '*' as the wildcard.
    [GeneratedRegex("^[a-z0-9*][a-z0-9._*-]{0,63}$")]
    private static partial Regex NamePattern();
}
