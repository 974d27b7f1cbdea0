using System.IO.Compression;

namespace Control.Api.Infrastructure;

/// <summary>The shipped list of common and breached passwords (see Resources/NOTICE.md), loaded once.</summary>
public sealed class CommonPasswords
{
    public CommonPasswords()
    {
        using var resource = typeof(CommonPasswords).Assembly.GetManifestResourceStream("common-passwords.txt.gz")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        List = set;
    }

    public IReadOnlySet<string> List { get; }
}
