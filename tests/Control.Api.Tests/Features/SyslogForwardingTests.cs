using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Control.Api.Tests.Support;
using Control.Domain.Contracts;

namespace Control.Api.Tests.Features;

/// <summary>
/// Forwarding to a SIEM over syslog (RFC 5424, TCP, octet counting) with a real TCP receiver that is down while
/// events are appended and comes up later. Own database and host (forwarding is configured at start).
/// </summary>
[Collection("api")]
public class SyslogForwardingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Forwarding_ReceiverDownThenUp_EveryEntryArrivesOnceInOrderRedacted()
    {
        var port = FreePort();
        await using var database = await TestDatabase.Create("syslog");
        var dataDirectory = ApiHost.NewTempDirectory();
        var logs = new LogCapture();
        await using var host = await ApiHost.Start(database.ConnectionString, dataDirectory, ApiHost.NewMasterKey(), logs, settings: new Dictionary<string, string>
        {
            ["Control:Syslog:Host"] = "127.0.0.1",
            ["Control:Syslog:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Control:Syslog:AppName"] = "control-test",
            ["Control:Syslog:MaxRetryDelay"] = "00:00:01",
            ["Control:Syslog:BatchSize"] = "4",
        });
        var client = new Client(host);
        var token = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "bootstrap-token"))).Trim();
        await client.PostOk<SetupResponse>("/setup", new SetupRequest(token, "acme", "Acme", "alice", ApiFixture.Password));
        client.Token = (await client.Login("acme", "alice", ApiFixture.Password)).AccessToken;
        var invited = await client.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("bob", "technician", "quote \" and ] bracket, ünïcode"));
        await client.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("carol", "auditor", "second hire"));

        // The receiver is down: the forwarder has tried and is waiting for it.
        await Eventually.Until(() => logs.Lines.Any(l => l.Contains("unreachable", StringComparison.Ordinal)), "the forwarder tried the receiver while it was down", Patience);

        using var receiver = new Receiver(port);
        var expected = await EventIds(database, "acme");
        await Eventually.Until(() => receiver.Messages("acme").Count >= expected.Count, $"all {expected.Count} entries arrived", Patience);
        await client.PostOk<InviteOperatorResponse>("/operators", new InviteOperatorRequest("dave", "hr", "after the outage"));
        expected = await EventIds(database, "acme");
        await Eventually.Until(() => receiver.Messages("acme").Count >= expected.Count, "the entry appended after the outage arrived", Patience);
        await Task.Delay(TimeSpan.FromSeconds(2));

        var received = receiver.Messages("acme");
        Assert.Equal(expected, received.Select(m => Guid.Parse(Parameter(m, "eventId"))).ToList());
        Assert.Equal(Enumerable.Range(1, expected.Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), received.Select(m => Parameter(m, "entry")));
        var invitation = received.Single(m => m.Contains("[audit@32473", StringComparison.Ordinal) && Parameter(m, "stream") == invited.Id.ToString() && m.Contains(" OperatorInvited ", StringComparison.Ordinal));
        Assert.StartsWith("<109>1 ", invitation, StringComparison.Ordinal);
        Assert.Contains(" control-test - OperatorInvited [audit@32473 org=\"acme\"", invitation, StringComparison.Ordinal);
        Assert.Contains("reason=\"quote \\\" and \\] bracket, ünïcode\"", invitation, StringComparison.Ordinal);
        Assert.Contains("actor=\"alice@acme\"", invitation, StringComparison.Ordinal);
        Assert.Contains("\"activationCodeHash\":\"[redacted]\"", invitation, StringComparison.Ordinal);
        Assert.DoesNotContain(invited.ActivationCode, string.Concat(receiver.Messages(null)), StringComparison.Ordinal);
        Assert.All(receiver.Messages(null), m => Assert.DoesNotContain("passwordHash\":\"AQ", m, StringComparison.Ordinal));
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task<List<Guid>> EventIds(TestDatabase database, string organization)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            $"select event_id from control.control_audit_chain where tenant_id = '{organization}' order by n", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static string Parameter(string message, string name) => Regex.Match(message, $" {name}=\"((?:[^\"\\\\]|\\\\.)*)\"").Groups[1].Value;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>A syslog receiver: accepts connections one after another and splits octet-counted frames (RFC 6587).</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _messages = [];

        public Receiver(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
            _ = Task.Run(Accept);
        }

        public List<string> Messages(string? organization)
        {
            lock (_messages)
            {
                return _messages.Where(m => organization is null || Parameter(m, "org") == organization).ToList();
            }
        }

        private async Task Accept()
        {
            while (!_stop.IsCancellationRequested)
            {
                using var connection = await _listener.AcceptTcpClientAsync(_stop.Token);
                using var reader = new BinaryReader(connection.GetStream());
                while (ReadFrame(reader) is { } message)
                {
                    lock (_messages)
                    {
                        _messages.Add(message);
                    }
                }
            }
        }

        private static string? ReadFrame(BinaryReader reader)
        {
            var length = new StringBuilder();
            try
            {
                for (var b = reader.ReadByte(); b != (byte)' '; b = reader.ReadByte())
                {
                    length.Append((char)b);
                }
            }
            catch (EndOfStreamException)
            {
                return null;
            }

            var body = reader.ReadBytes(int.Parse(length.ToString(), System.Globalization.CultureInfo.InvariantCulture));
            return Encoding.UTF8.GetString(body);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
