using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Control.Api.Hosting;

/// <summary>
/// <see cref="ControlOptions.TrustedProxies"/> as forwarded-headers settings: only <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c>, only from the listed proxies, one proxy hop. The <c>Host</c> header is the proxy's to pass
/// on unchanged (the anti-forgery Origin check compares against it).
/// </summary>
public static class TrustedProxies
{
    /// <summary>The listed networks; a wrong entry stops the start with a message naming it.</summary>
    public static IReadOnlyList<IPNetwork> Parse(IEnumerable<string> entries) => entries.Select(entry =>
    {
        var text = entry.Trim();
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        return IPAddress.TryParse(text, out var address)
            ? new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
            : throw new InvalidOperationException(
                $"Control:TrustedProxies: '{entry}' is neither an IP address nor a network in CIDR form (such as 10.0.0.0/8).");
    }).ToList();

    public static void Configure(ForwardedHeadersOptions options, IReadOnlyList<IPNetwork> proxies)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        options.ForwardLimit = 1;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownIPNetworks.Add(proxy);
        }
    }
}
