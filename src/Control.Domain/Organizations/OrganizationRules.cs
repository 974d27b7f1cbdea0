using System.Text.RegularExpressions;

namespace Control.Domain.Organizations;

public static partial class OrganizationRules
{
    public const int SlugMinLength = 3;
    public const int SlugMaxLength = 32;

    /// <summary>Lowercase letters, digits and inner hyphens; it becomes the namespace of every alias.</summary>
    public static bool IsValidSlug(string? slug) =>
        slug is { Length: >= SlugMinLength and <= SlugMaxLength } && SlugPattern().IsMatch(slug);

    /// <summary>The name before "@<paramref name="slug"/>" in an alias of this organization (<c>bob@acme</c> → <c>bob</c>), or null for any other text.</summary>
    public static string? LocalName(string alias, string slug) =>
        alias.Length > slug.Length + 1 && alias.EndsWith("@" + slug, StringComparison.Ordinal) ? alias[..^(slug.Length + 1)] : null;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
