using Control.Domain.Security;

namespace Control.Agent.Server;

/// <summary>The API's base URL as the agent accepts it.</summary>
internal static class ServerAddress
{
    /// <summary>
    /// An absolute http(s) URL without query, fragment or user info. Plain http only to a loopback address unless the
    /// operator insists: the license key goes out and the agent's credential comes back over this connection.
    /// </summary>
    public static string? Problem(string? text, bool allowInsecureHttp)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"'{text}' is not an http(s) URL such as https://control.example.com";
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return "the server URL must not carry a query, fragment or user name";
        }

        if (PlainHttp.ToAnotherMachine(uri) && !allowInsecureHttp)
        {
            return $"'{text}' is plain http to another machine: the license key and the agent's credential would cross the network "
                + "unencrypted; use https (or --allow-insecure-http on a network you trust)";
        }

        return null;
    }

    /// <summary>How agent.json and messages show it: no trailing slash.</summary>
    public static string Display(string text) => new Uri(text, UriKind.Absolute).ToString().TrimEnd('/');

    /// <summary>The base address for relative request paths (a path prefix such as /control must end with a slash).</summary>
    public static Uri FromStored(string text) => new(Display(text) + "/", UriKind.Absolute);
}
