using System.Net;
using System.Net.Sockets;

namespace Control.Agent.Sessions;

/// <summary>
/// Connections and TLS handshakes in progress, per source and in all, like OpenSSH's MaxStartups and
/// PerSourceMaxStartups: one source cannot hold the agent's connection slots, nor keep it busy with handshakes that never
/// finish, while viewers from elsewhere get in. IPv4 sources count per address, IPv6 per /64 (what one host usually has).
/// </summary>
internal sealed class SourceLimits
{
    /// <summary>Connections at once, in all (a flood must not exhaust the machine).</summary>
    public const int MaxConnections = 64;

    /// <summary>Connections at once from one source, sessions included (a few technicians behind one NAT fit).</summary>
    public const int MaxConnectionsPerSource = 16;

    /// <summary>TLS handshakes in progress at once, in all: half the slots, so that sessions keep the other half.</summary>
    public const int MaxHandshakes = 32;

    /// <summary>TLS handshakes in progress at once from one source.</summary>
    public const int MaxHandshakesPerSource = 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, (int Connections, int Handshakes)> _bySource = [];
    private int _connections;
    private int _handshakes;

    /// <summary>A slot for a new connection in its handshake, or null and why not.</summary>
    public Slot? TryOpen(IPAddress? address, out string? refusal)
    {
        var source = Key(address);
        lock (_gate)
        {
            var (connections, handshakes) = _bySource.GetValueOrDefault(source);
            refusal = true switch
            {
                _ when _connections >= MaxConnections => "too many connections",
                _ when connections >= MaxConnectionsPerSource => "too many connections from this source",
                _ when handshakes >= MaxHandshakesPerSource => "too many handshakes in progress from this source",
                _ when _handshakes >= MaxHandshakes => "too many handshakes in progress",
                _ => null,
            };
            if (refusal is not null)
            {
                return null;
            }

            _connections++;
            _handshakes++;
            _bySource[source] = (connections + 1, handshakes + 1);
            return new Slot(this, source);
        }
    }

    private static IPAddress Key(IPAddress? address)
    {
        if (address is null)
        {
            return IPAddress.None;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    private void Release(IPAddress source, bool handshake)
    {
        lock (_gate)
        {
            var (connections, handshakes) = _bySource[source];
            _connections--;
            if (handshake)
            {
                _handshakes--;
                handshakes--;
            }

            if (--connections == 0)
            {
                _bySource.Remove(source);
            }
            else
            {
                _bySource[source] = (connections, handshakes);
            }
        }
    }

    private void EndHandshake(IPAddress source)
    {
        lock (_gate)
        {
            var (connections, handshakes) = _bySource[source];
            _handshakes--;
            _bySource[source] = (connections, handshakes - 1);
        }
    }

    /// <summary>One connection's place: in its handshake until <see cref="HandshakeDone"/>, counted until disposed.</summary>
    public sealed class Slot(SourceLimits limits, IPAddress source) : IDisposable
    {
        private bool _inHandshake = true;
        private bool _disposed;

        public void HandshakeDone()
        {
            if (_inHandshake && !_disposed)
            {
                _inHandshake = false;
                limits.EndHandshake(source);
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                limits.Release(source, _inHandshake);
            }
        }
    }
}
