using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Sessions;
using Npgsql;

// The audit benchmark. Loads a history through the real API (organizations, operators, people, clients enrolled by
// simulated agents, ACL and password changes, and the agents' session events with denied attempts, channels and file
// transfers), with ACL changes spread over the load so that "as of T" answers differ along it; then measures, one request
// at a time: a filtered change-log page, a client's session-history page, access review as of T (both questions), the
// CSV/JSON Lines export throughput, and the chain verification throughput. Writes one JSON document.
var o = Options.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { BaseAddress = new Uri(o.Server), Timeout = TimeSpan.FromMinutes(10) };
await using var database = NpgsqlDataSource.Create(o.ConnectionString);

Task<T> Send<T>(HttpMethod method, string path, object? body, string? bearer = null) => http.SendJsonAsync<T>(json, method, path, body, bearer);

async Task<long> EventCount()
{
    await using var command = database.CreateCommand($"select count(*) from {o.Schema}.mt_events");
    return (long)(await command.ExecuteScalarAsync())!;
}

async Task<string> Login(string org) =>
    (await Send<TokenResponse>(HttpMethod.Post, "/auth/login", new LoginRequest(org, "owner", o.Password, null, null))).AccessToken;

var watch = Stopwatch.StartNew();
var orgs = Enumerable.Range(0, o.Organizations).Select(i => i == 0 ? o.FirstOrganization : $"org{i:D2}").ToArray();
var firstOwner = await Login(orgs[0]);
foreach (var slug in orgs.Skip(1))
{
    await Send<object>(HttpMethod.Post, "/organizations", new CreateOrganizationRequest(slug, $"Organization {slug}", "owner", o.Password, "bench"), firstOwner);
}

var clientsPerOrg = o.Clients / o.Organizations;
var loaded = new OrgData[orgs.Length];
Console.Error.WriteLine($"setting up {orgs.Length} organizations: {o.Operators} technicians, {o.Operators / 2} people, {clientsPerOrg} clients each ...");
await Parallel.ForAsync(0, orgs.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (index, _) =>
{
    var slug = orgs[index];
    var owner = await Login(slug);
    var technicians = new string[o.Operators];
    for (var t = 0; t < o.Operators; t++)
    {
        var name = $"tech{t:D2}";
        var invited = await Send<InviteOperatorResponse>(HttpMethod.Post, "/operators", new InviteOperatorRequest(name, "technician", "bench"), owner);
        await Send<object>(HttpMethod.Post, "/auth/activate", new ActivateRequest(slug, name, invited.ActivationCode, o.Password + " technician " + t.ToString(CultureInfo.InvariantCulture)));
        technicians[t] = $"{name}@{slug}";
    }

    var people = new Guid[o.Operators / 2];
    for (var p = 0; p < people.Length; p++)
    {
        var person = await Send<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest($"Person {p} of {slug}, \"quoted\"", $"p{p}@{slug}.example", "bench"), owner);
        await Send<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest($"tech{2 * p:D2}", null, null, "bench"), owner);
        await Send<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest($"tech{2 * p + 1:D2}", null, null, "bench"), owner);
        people[p] = person.Id;
    }

    var link = await Send<CustomClientCreatedResponse>(HttpMethod.Post, "/custom-clients",
        new CreateCustomClientRequest("fleet", null, true, new ClientPresetDto(true, [technicians[0], technicians[1]], true, true, true, true), "bench"), owner);
    var agents = new Agent[clientsPerOrg];
    await Parallel.ForAsync(0, clientsPerOrg, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enrolled = await Send<EnrollResponse>(HttpMethod.Post, "/agent/enroll",
            new EnrollRequest(link.RegistrationToken, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), null, $"host-{slug}-{i}"));
        agents[i] = new Agent(key, enrolled);
        // Each client gets two more technicians in its ACL; a third of them an unattended password.
        var random = new Random(i);
        foreach (var t in new[] { technicians[2 + random.Next(o.Operators - 2)], technicians[2 + random.Next(o.Operators - 2)] }.Distinct())
        {
            await Send<ClientChangeResponse>(HttpMethod.Post, $"/clients/{enrolled.ClientId}/acl-add", new ClientChangeRequest("bench: on call, rota \"B\"", Entry: t), owner);
        }

        if (i % 3 == 0)
        {
            await Send<ClientChangeResponse>(HttpMethod.Post, $"/clients/{enrolled.ClientId}/unattended-password", new ClientChangeRequest("bench"), owner);
        }
    });
    loaded[index] = new OrgData(slug, technicians, people, agents);
    Console.Error.WriteLine($"  {slug}: ready at {watch.Elapsed.TotalSeconds:F0} s");
});

var setupEvents = await EventCount();
var setupSeconds = watch.Elapsed.TotalSeconds;
var budget = Math.Max(0, o.Events - setupEvents);
// A session: requested, then denied (1 in 8, 2 events) or authenticated, two channels, a file transfer every other
// session, closed (about 5.5 events). Sessions are sent in batches per agent, as the real agent's outbox does.
var sessionsPerClient = (int)Math.Ceiling(budget / 5.2 / o.Clients);
Console.Error.WriteLine($"setup: {setupEvents} events in {setupSeconds:F0} s; {sessionsPerClient} sessions per client ...");

var moments = new List<DateTimeOffset> { DateTimeOffset.UtcNow };
var aclChanges = 0;
var sessionsSent = 0L;
var rounds = 10;
for (var round = 0; round < rounds; round++)
{
    var perRound = sessionsPerClient / rounds + (round < sessionsPerClient % rounds ? 1 : 0);
    var all = loaded.SelectMany(org => org.Agents.Select((agent, i) => (org, agent, i))).ToArray();
    await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, _) =>
    {
        var (org, agent, i) = item;
        var random = new Random(HashCode.Combine(org.Slug, i, round));
        var batch = new List<AgentSessionEvent>(200);
        for (var s = 0; s < perRound; s++)
        {
            var alias = org.Technicians[random.Next(org.Technicians.Length)];
            var id = Guid.CreateVersion7();
            var client = agent.Enrolment.ClientId;
            var at = DateTimeOffset.UtcNow;
            var events = new List<SessionEvent> { new SessionRequested(id, client, alias, "01AB", "192.0.2.7:50123", "Tls13", "TLS_AES_256_GCM_SHA384", "ticket 4711", at) };
            if (random.Next(8) == 0)
            {
                events.Add(new SessionDenied(id, client, alias, "192.0.2.7:50123", "not in the access control list", at));
            }
            else
            {
                events.Add(new SessionAuthenticated(id, client, alias, ["certificate 01AB", "access control list", "attended"], null, at));
                events.Add(new SessionChannelOpened(id, client, "exec", "uname -a", null, at));
                events.Add(new SessionChannelOpened(id, client, "shell", "bash", null, at));
                if (random.Next(2) == 0)
                {
                    events.Add(new SessionFileTransferred(id, client, "upload", $"/tmp/patch,{s} \"v2\".tar", 4096 + s, Convert.ToHexStringLower(SHA256.HashData(id.ToByteArray())), at));
                }

                events.Add(new SessionClosed(id, client, "viewer", null, 1000 + random.Next(600_000), 2048, 8192, at));
            }

            if (batch.Count + events.Count > AgentSessionEventBatch.MaxEvents)
            {
                await Post(agent, batch);
                batch.Clear();
            }

            batch.AddRange(events.Select(e => new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), json))));
        }

        if (batch.Count > 0)
        {
            await Post(agent, batch);
        }

        Interlocked.Add(ref sessionsSent, perRound);
    });

    // Between rounds, ACLs change (a technician removed from some clients, another added), so the past differs from now.
    foreach (var org in loaded)
    {
        var owner = await Login(org.Slug);
        for (var k = 0; k < 5; k++)
        {
            var agent = org.Agents[(round * 5 + k) % org.Agents.Length];
            var entry = org.Technicians[(round + k) % org.Technicians.Length];
            var action = round % 2 == 0 ? "acl-add" : "acl-remove";
            try
            {
                await Send<ClientChangeResponse>(HttpMethod.Post, $"/clients/{agent.Enrolment.ClientId}/{action}", new ClientChangeRequest($"bench round {round}", Entry: entry), owner);
                aclChanges++;
            }
            catch (InvalidOperationException)
            {
                // Removing an entry the client does not have is refused: fine.
            }
        }
    }

    moments.Add(DateTimeOffset.UtcNow);
    Console.Error.WriteLine($"  round {round + 1}/{rounds}: {Interlocked.Read(ref sessionsSent)} sessions at {watch.Elapsed.TotalSeconds:F0} s");
}

async Task Post(Agent agent, List<AgentSessionEvent> batch)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "/agent/session-events") { Content = JsonContent.Create(new AgentSessionEventBatch([.. batch]), options: json) };
    request.Headers.Authorization = new AuthenticationHeaderValue("ControlAgent", agent.Enrolment.Credential);
    using var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"session events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

var totalEvents = await EventCount();
var loadSeconds = watch.Elapsed.TotalSeconds;
Console.Error.WriteLine($"loaded {totalEvents} events in {loadSeconds:F0} s; measuring ...");
await using (var vacuum = database.CreateCommand("analyze"))
{
    await vacuum.ExecuteNonQueryAsync();
}

var tokens = new Dictionary<string, string>();
foreach (var org in loaded)
{
    tokens[org.Slug] = await Login(org.Slug);
}

async Task<double> Timed(string path, string token)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var start = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    return elapsed;
}

async Task<Dictionary<string, double>> Latency(string name, Func<OrgData, Random, string> path)
{
    var random = new Random(42);
    var samples = new List<double>();
    for (var i = 0; i < o.Samples + 20; i++)
    {
        var org = loaded[i % loaded.Length];
        var ms = await Timed(path(org, random), tokens[org.Slug]);
        if (i >= 20)
        {
            samples.Add(ms);
        }
    }

    samples.Sort();
    var result = new Dictionary<string, double>
    {
        ["p50_ms"] = Math.Round(Percentile(samples, 0.50), 1),
        ["p99_ms"] = Math.Round(Percentile(samples, 0.99), 1),
        ["max_ms"] = Math.Round(samples[^1], 1),
        ["samples"] = samples.Count,
    };
    Console.Error.WriteLine($"  {name}: p50 {result["p50_ms"]} ms, p99 {result["p99_ms"]} ms");
    return result;
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

string At(Random random)
{
    var from = moments[0];
    var to = moments[^1];
    return Uri.EscapeDataString(from.AddTicks((long)(random.NextDouble() * (to - from).Ticks)).ToString("O", CultureInfo.InvariantCulture));
}

var results = new Dictionary<string, object>
{
    ["changeLogPage"] = await Latency("change-log page (actor or type filter, 50 rows)", (org, r) => r.Next(3) switch
    {
        0 => $"/audit/events?actor=owner@{org.Slug}&limit=50",
        1 => "/audit/events?type=AclEntryAdded,AclEntryRemoved&limit=50",
        _ => $"/audit/events?target=client:{org.Agents[r.Next(org.Agents.Length)].Enrolment.ClientNumber}&limit=50",
    }),
    ["sessionHistoryPage"] = await Latency("session-history page of a client (50 rows)", (org, r) =>
        $"{o.SessionHistoryPath}?client={org.Agents[r.Next(org.Agents.Length)].Enrolment.ClientNumber}&limit=50"),
    ["whoCanReachAsOf"] = await Latency("who can reach a client as of T", (org, r) =>
        $"/access/who-can-reach/{org.Agents[r.Next(org.Agents.Length)].Enrolment.ClientNumber}?at={At(r)}"),
    ["reachableByAsOf"] = await Latency("what a person can reach as of T", (org, r) =>
        $"/access/reachable-by/{org.People[r.Next(org.People.Length)]}?at={At(r)}"),
};

async Task<Dictionary<string, double>> Export(string name, string path, string org)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[org]);
    var start = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var body = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[1 << 16];
    long rows = 0, bytes = 0;
    int read;
    double? first = null;
    while ((read = await body.ReadAsync(buffer)) > 0)
    {
        first ??= Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        bytes += read;
        rows += buffer.AsSpan(0, read).Count((byte)'\n');
    }

    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    var result = new Dictionary<string, double>
    {
        ["lines"] = rows,
        ["seconds"] = Math.Round(seconds, 3),
        ["rows_per_second"] = Math.Round(rows / seconds),
        ["megabytes"] = Math.Round(bytes / 1048576.0, 1),
        ["first_byte_ms"] = Math.Round(first ?? 0, 1),
    };
    Console.Error.WriteLine($"  {name}: {rows} lines in {seconds:F2} s = {result["rows_per_second"]} rows/s (first byte {result["first_byte_ms"]} ms)");
    return result;
}

// One run of each on another organization first, so the measured runs see a warm server (compiled code, pooled
// connections, cached plans), as a server that has been up for a while is.
foreach (var path in new[] { "/audit/events/export?format=csv", "/audit/events/export?format=jsonl", "/audit/sessions/export?format=csv", "/audit/verify" })
{
    using var warm = new HttpRequestMessage(HttpMethod.Get, path);
    warm.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[loaded[^1].Slug]);
    using var response = await http.SendAsync(warm);
    response.EnsureSuccessStatusCode();
}

results["exportEventsCsv"] = await Export("export of an organization's changes and events, CSV", "/audit/events/export?format=csv", loaded[0].Slug);
results["exportEventsJsonl"] = await Export("same, JSON Lines", "/audit/events/export?format=jsonl", loaded[0].Slug);
results["exportSessionsCsv"] = await Export("export of an organization's sessions, CSV", "/audit/sessions/export?format=csv", loaded[0].Slug);

{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/audit/verify");
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[loaded[0].Slug]);
    var start = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request);
    var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    var text = await response.Content.ReadAsStringAsync();
    response.EnsureSuccessStatusCode();
    using var document = JsonDocument.Parse(text);
    var entries = document.RootElement.TryGetProperty("entries", out var n) ? n.GetInt64() : 0;
    results["verify"] = new Dictionary<string, object>
    {
        ["entries"] = entries,
        ["seconds"] = Math.Round(seconds, 3),
        ["entries_per_second"] = Math.Round(entries / seconds),
        ["answer"] = document.RootElement.Clone(),
    };
    Console.Error.WriteLine($"  verify: {entries} entries in {seconds:F2} s = {Math.Round(entries / seconds)} entries/s");
}

var summary = new Dictionary<string, object>
{
    ["benchmark"] = "audit",
    ["machine"] = $"{Environment.ProcessorCount} cores",
    ["organizations"] = o.Organizations,
    ["clients"] = o.Clients,
    ["events"] = totalEvents,
    ["setupEvents"] = setupEvents,
    ["sessions"] = sessionsSent,
    ["aclChangesDuringLoad"] = aclChanges,
    ["loadSeconds"] = Math.Round(loadSeconds),
    ["apiCpuSeconds"] = Math.Round(ApiProcess.CpuSeconds(o.ApiPid), 1),
    ["results"] = results,
};
Directory.CreateDirectory(Path.GetDirectoryName(o.Output)!);
await File.WriteAllTextAsync(o.Output, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine(
    $"audit ({totalEvents} events, {o.Organizations} orgs, {o.Clients} clients): change-log page p99 {((Dictionary<string, double>)results["changeLogPage"])["p99_ms"]} ms, " +
    $"session page p99 {((Dictionary<string, double>)results["sessionHistoryPage"])["p99_ms"]} ms, " +
    $"as-of p99 {((Dictionary<string, double>)results["whoCanReachAsOf"])["p99_ms"]}/{((Dictionary<string, double>)results["reachableByAsOf"])["p99_ms"]} ms, " +
    $"export {((Dictionary<string, double>)results["exportEventsCsv"])["rows_per_second"]} rows/s, " +
    $"verify {((Dictionary<string, object>)results["verify"])["entries_per_second"]} entries/s; {o.Output}");

sealed record OrgData(string Slug, string[] Technicians, Guid[] People, Agent[] Agents);

sealed record Options(
    string Server, string ConnectionString, string Schema, string FirstOrganization, string Password, long Events, int Organizations, int Clients,
    int Operators, int Samples, string SessionHistoryPath, int ApiPid, string Output)
{
    public static Options Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        return new Options(
            Value("--server"), Value("--database"), Value("--schema", "control"), Value("--org"), Value("--password"),
            long.Parse(Value("--events", "1000000"), CultureInfo.InvariantCulture), int.Parse(Value("--orgs", "10"), CultureInfo.InvariantCulture),
            int.Parse(Value("--clients", "10000"), CultureInfo.InvariantCulture), int.Parse(Value("--operators", "20"), CultureInfo.InvariantCulture),
            int.Parse(Value("--samples", "200"), CultureInfo.InvariantCulture), Value("--session-history", "/audit/sessions"),
            int.Parse(Value("--api-pid", "0"), CultureInfo.InvariantCulture), Value("--output"));
    }
}
