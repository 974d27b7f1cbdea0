using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Control.Domain.Contracts;

namespace Control.EndToEnd.Tests.Attacks;

/// <summary>
/// Attacker: anyone who can reach the agent's session port, with no certificate at all. Threat: denial of service before
/// authentication: they open connections and never finish a handshake, holding every one of the agent's connection slots,
/// so that no technician can get in. Beyond a few handshakes in progress per source their connections are closed at once,
/// and a viewer from another address still gets in.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConnectionFloodTests(ApiProcess api) : IClassFixture<ApiProcess>, IDisposable
{
    /// <summary>The agent's limit of TLS handshakes in progress from one source (README, "The agent before authentication").</summary>
    private const int HandshakesPerSource = 4;

    private const int Connections = 80;
    private readonly List<Socket> _attack = [];
    private AttackStage? _stage;

    [Fact]
    public async Task ConnectionsBeyondThePerSourceLimit_AreClosedAtOnce_AndAViewerFromElsewhereGetsIn()
    {
        _stage = await AttackStage.SetUpAsync(api);
        var alice = _stage.Alice;
        var rotated = (await alice.RunAsync("unattended", "rotate-password", "desk", "--reason", "set up", "--json")).ShouldExit(0, () => _stage.Logs);
        var password = JsonSerializer.Deserialize<ClientChangeResponse>(rotated.Stdout, AttackStage.Json)!.RevealedPassword!;
        (await alice.RunAsync("unattended", "enable", "desk", "--reason", "set up")).ShouldExit(0, () => _stage.Logs);
        await _stage.WaitFor(() => _stage.Agent.Printed("unattended on"), "the agent to apply unattended access");
        var port = _stage.SessionPort;

        // 127.0.0.2 opens more connections than the agent has slots, and says nothing.
        var agent = new IPEndPoint(IPAddress.Loopback, port);
        for (var i = 0; i < Connections; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _attack.Add(socket);
            socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            await socket.ConnectAsync(agent).WaitAsync(AttackStage.Bounded);
        }

        var closed = await Task.WhenAll(_attack.Select(ClosedByTheAgentAsync));
        Assert.True(closed.Count(c => !c) <= HandshakesPerSource,
            $"{closed.Count(c => !c)} of {Connections} connections from one source are still held by the agent{Environment.NewLine}{_stage.Logs}");

        // While 127.0.0.2 still holds what it may, alice (from 127.0.0.1) opens a session.
        var exec = (await alice.RunWithInputAsync([password], "exec", "-q", "desk", "--", "echo", "still in")).ShouldExit(0, () => _stage.Logs);
        Assert.Equal("still in", exec.Stdout.Trim());
    }

    /// <summary>Whether the agent closed the connection within two seconds (end of stream or a reset).</summary>
    private static async Task<bool> ClosedByTheAgentAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(2)) == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        foreach (var socket in _attack)
        {
            socket.Dispose();
        }

        _stage?.Agent.Dispose();
    }
}
