using System.Net;
using System.Net.Sockets;
using Control.Agent.Server;
using Control.Domain.Contracts;

namespace Control.Agent.Sessions;

/// <summary>Where the agent listens for sessions and what it tells the directory.</summary>
internal static class SessionEndpoint
{
    /// <summary>Parses <c>ADDRESS:PORT</c> (IPv6 in brackets); port 0 picks a free one.</summary>
    public static bool TryParseListen(string text, out IPEndPoint endpoint) =>
        IPEndPoint.TryParse(text, out endpoint!) && (text.Contains(':', StringComparison.Ordinal)) && endpoint.Port is >= 0 and <= 65535;

    /// <summary>The host:port viewers should dial: the advertised name, else the listening address (the machine's name when it is a wildcard).</summary>
    public static AgentEndpointRequest Advertised(string? advertise, IPEndPoint listening)
    {
        var host = listening.Address.Equals(IPAddress.Any) || listening.Address.Equals(IPAddress.IPv6Any) ? Dns.GetHostName() : listening.Address.ToString();
        var port = listening.Port;
        if (!string.IsNullOrWhiteSpace(advertise))
        {
            var colon = advertise.LastIndexOf(':');
            if (colon > 0 && !advertise.EndsWith(']') && int.TryParse(advertise[(colon + 1)..], out var advertisedPort))
            {
                host = advertise[..colon];
                port = advertisedPort;
            }
            else
            {
                host = advertise;
            }
        }

        return new AgentEndpointRequest(host.Trim('[', ']'), port);
    }

    /// <summary>Registers the endpoint, retrying with backoff while the API is unreachable.</summary>
    public static async Task RegisterAsync(AgentApi api, AgentEndpointRequest endpoint, TextWriter output, TextWriter errors, CancellationToken stop)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), Random.Shared);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var answer = await api.RegisterEndpointAsync(endpoint, stop);
                if (answer.Problem is null)
                {
                    output.WriteLine($"sessions: registered {endpoint.Host}:{endpoint.Port} in the directory");
                    return;
                }

                errors.WriteLine($"sessions: the server refused the endpoint {endpoint.Host}:{endpoint.Port}: {answer.Problem}");
                if ((int)answer.Status is >= 400 and < 500 and not 401 and not 429)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or SocketException || (e is OperationCanceledException && !stop.IsCancellationRequested))
            {
                // The policy follower reports the API as unreachable; keep trying quietly.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(backoff.Next(), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
