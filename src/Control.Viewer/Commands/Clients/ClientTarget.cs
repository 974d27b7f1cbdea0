using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using Control.Domain.Clients;
using Control.Viewer.Infrastructure;

namespace Control.Viewer.Commands.Clients;

/// <summary>
/// The client a command names: its id, its 9-digit number, or its alias (<c>kiosk1</c> or <c>kiosk1@acme</c>). The
/// server resolves it; this only builds the URL and phrases "no such client".
/// </summary>
internal static class ClientTarget
{
    public const string Help = "The client: its 9-digit number, its alias (kiosk1 or kiosk1@acme) or its id";

    /// <summary>CLIENT for commands that act on exactly one client (show, acl list, client-2fa enroll/confirm).</summary>
    public static Argument<string> Argument() => new("CLIENT") { Description = Help };

    /// <summary>
    /// The URL segment for a client. A bare alias is sent as given (the server adds the namespace) except <c>bulk</c>,
    /// which would hit <c>POST /clients/bulk/{action}</c>: that one is qualified with the signed-in organization.
    /// </summary>
    public static string Path(string given, SignedInApi api)
    {
        var key = given.Trim();
        if (string.Equals(key, "bulk", StringComparison.OrdinalIgnoreCase))
        {
            key = $"{key}@{api.Credentials.Organization}";
        }

        return Uri.EscapeDataString(key);
    }

    /// <summary><c>kiosk1 (123456789)</c> when the user named it by alias, otherwise <c>client 123456789</c>.</summary>
    public static string Name(string given, string number)
    {
        var key = given.Trim();
        return key == number || Guid.TryParse(key, out _) ? $"client {number}" : $"{key} ({number})";
    }

    /// <summary>GET or POST about one client; a 404 names what the user typed and where to look it up.</summary>
    public static async Task<T> SendAsync<T>(
        SignedInApi api, HttpMethod method, string given, string pathAfterClient, object? body, CancellationToken cancellation,
        IReadOnlyDictionary<string, string>? fieldNames = null)
    {
        var path = $"clients/{Path(given, api)}{pathAfterClient}";
        var result = await api.SendAsync<T>(method, path, body, cancellation);
        if (result.Status == HttpStatusCode.NotFound)
        {
            throw CliException.Failure(
                $"there is no client '{given.Trim()}' in {api.Credentials.Organization} (removed clients are found only by number or id); " +
                "see 'control clients list'");
        }

        return result.Require(fieldNames);
    }

    public static string Version(long version) => version.ToString(CultureInfo.InvariantCulture);

    public static string OnOff(bool on) => on ? "on" : "off";

    /// <summary>A tag as the server stores it (trimmed, lower case), or null when it breaks the server's rule.</summary>
    public static string? NormalizeTag(string text)
    {
        var tag = text.Trim().ToLowerInvariant();
        return ClientDecider.TagPattern().IsMatch(tag) ? tag : null;
    }

    public const string TagRule = "a tag is 1-40 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary><c>--where tag=NAME</c>: the only selector the API has.</summary>
    public static string? ParseWhere(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value.Trim() : "";
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && string.Equals(text[..equals].Trim(), "tag", StringComparison.OrdinalIgnoreCase)
            && NormalizeTag(text[(equals + 1)..]) is { } tag)
        {
            return tag;
        }

        result.AddError($"--where takes tag=NAME, e.g. --where tag=kiosk ({TagRule}), not '{text}'.");
        return null;
    }
}
