using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Domain.Sessions;

// The offboarding benchmark: an organization with N clients (simulated agents, each with its own P-256 key, enrolled
// through a custom client whose preset puts the leaving person in every ACL), the person knowing P unattended passwords
// (the agents report password sign-ins) and holding T remember-tokens; all agents long-poll; one offboarding. Reports
// the time to all change events committed and to the last receipt (server timestamps from the offboarding's record) and
// the per-client receipt time after its change. Agents acknowledge like the real one (the receipt on the next poll).
var o = Options.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, ConnectTimeout = TimeSpan.FromSeconds(30) };
using var http = new HttpClient(handler) { BaseAddress = new Uri(o.Server), Timeout = TimeSpan.FromSeconds(180) };

Task<T> Send<T>(HttpMethod method, string path, object? body, string? bearer = null) => http.SendJsonAsync<T>(json, method, path, body, bearer);

var owner = (await Send<TokenResponse>(HttpMethod.Post, "/auth/login", new LoginRequest(o.Organization, o.User, o.Password, null, null))).AccessToken;
var leaver = $"leaver@{o.Organization}";
var invited = await Send<InviteOperatorResponse>(HttpMethod.Post, "/operators", new InviteOperatorRequest("leaver", "technician", "bench"), owner);
await Send<object>(HttpMethod.Post, "/auth/activate", new ActivateRequest(o.Organization, "leaver", invited.ActivationCode, o.Password + " departing"));
var link = await Send<CustomClientCreatedResponse>(HttpMethod.Post, "/custom-clients",
    new CreateCustomClientRequest("fleet", null, true, new ClientPresetDto(true, [leaver], true, true, true, true), "bench"), owner);

Console.Error.WriteLine($"enrolling {o.Agents} agents (the leaver is in every ACL through the custom client's preset) ...");
var watch = Stopwatch.StartNew();
var agents = new Agent[o.Agents];
await Parallel.ForAsync(0, o.Agents, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellation) =>
{
    var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var enrolled = await Send<EnrollResponse>(HttpMethod.Post, "/agent/enroll", new EnrollRequest(link.RegistrationToken, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), null, $"bench-{i}"));
    agents[i] = new Agent(key, enrolled);
});
var enrolSeconds = watch.Elapsed.TotalSeconds;

Console.Error.WriteLine($"enrolled in {enrolSeconds:F1} s; {o.Passwords} unattended passwords, {o.Tokens} remember-tokens known to the leaver ...");
await Parallel.ForAsync(0, o.Passwords, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
{
    await Send<ClientChangeResponse>(HttpMethod.Post, $"/clients/{agents[i].Enrolment.ClientId}/unattended-password", new ClientChangeRequest("bench"), owner);
    var at = DateTimeOffset.UtcNow;
    await Report(agents[i], new SessionAuthenticated(Guid.CreateVersion7(), agents[i].Enrolment.ClientId, leaver, ["certificate 01", "access control list", "unattended password (SCRAM-SHA-256)"], null, at));
});
await Parallel.ForAsync(o.Passwords, o.Passwords + o.Tokens, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
    await Report(agents[i % o.Agents], new RememberTokenIssued(Guid.CreateVersion7(), agents[i % o.Agents].Enrolment.ClientId, leaver, $"tok{i}", "laptop", 0, DateTimeOffset.UtcNow)));
var person = await Send<PersonResponse>(HttpMethod.Post, "/people", new AddPersonRequest("Leaving Person", "leaver@example.com", "bench"), owner);
await Send<PersonResponse>(HttpMethod.Post, $"/people/{person.Id}/links", new LinkPersonRequest("leaver", null, null, "bench"), owner);
var exposure = await Send<ExposureResponse>(HttpMethod.Get, $"/people/{person.Id}/exposure", null, owner);
Console.Error.WriteLine($"exposure: {exposure.Secrets.Count} secrets; fetching initial policies ...");

await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (agent, cancellation) =>
{
    var signed = (await agent.FetchAsync(http, 0, cancellation))!;
    agent.Version = agent.Verify(signed) ? signed.Policy.Version : throw new InvalidOperationException("an initial policy does not verify with the pinned key");
});

using var stop = new CancellationTokenSource();
var parked = 0;
var rejected = 0;
long startTicks = 0;
var firstChange = new double[o.Agents];
// Agent-side clock (ms after the offboarding request): when each agent last took a newer policy, and when it sent its
// receipt for it (on its next poll). Server-side figures alone cannot tell late delivery from late receipts.
var lastChange = new double[o.Agents];
var lastAck = new double[o.Agents];

// As PolicyFollower does: after a new policy, poll again at once with the signed receipt for it on that request.
async Task Poll(Agent agent, int index)
{
    PolicyAcknowledgement? receipt = null;
    while (!stop.IsCancellationRequested)
    {
        SignedPolicy? signed;
        try
        {
            Interlocked.Increment(ref parked);
            if (receipt is not null && Interlocked.Read(ref startTicks) != 0 && receipt.Version == agent.Version)
            {
                lastAck[index] = Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;
            }

            signed = await agent.FetchAsync(http, 55, stop.Token, receipt);
            receipt = null;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Interlocked.Decrement(ref parked);
        }

        if (signed is null)
        {
            continue;
        }

        if (!agent.Verify(signed) || signed.Policy.Version <= agent.Version)
        {
            Interlocked.Increment(ref rejected);
            continue;
        }

        agent.Version = signed.Policy.Version;
        if (firstChange[index] == 0 && Interlocked.Read(ref startTicks) != 0)
        {
            firstChange[index] = Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;
        }

        if (Interlocked.Read(ref startTicks) != 0)
        {
            lastChange[index] = Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;
        }

        receipt = agent.Receipt();
    }
}

async Task Report(Agent agent, SessionEvent e)
{
    var batch = new AgentSessionEventBatch([new AgentSessionEvent(Guid.CreateVersion7(), e.GetType().Name, JsonSerializer.SerializeToElement(e, e.GetType(), json))]);
    using var request = new HttpRequestMessage(HttpMethod.Post, "/agent/session-events") { Content = JsonContent.Create(batch, options: json) };
    request.Headers.Authorization = new AuthenticationHeaderValue("ControlAgent", agent.Enrolment.Credential);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
}

var pollers = new List<Task>();
for (var i = 0; i < agents.Length; i += 500)
{
    pollers.AddRange(Enumerable.Range(i, Math.Min(500, agents.Length - i)).Select(j => Poll(agents[j], j)));
    await Task.Delay(100);
}

var settle = Stopwatch.StartNew();
while (Volatile.Read(ref parked) < o.Agents && settle.Elapsed < TimeSpan.FromSeconds(60))
{
    await Task.Delay(100);
}

Console.Error.WriteLine($"{Volatile.Read(ref parked)} polls parked; offboarding in 3 s ...");
await Task.Delay(TimeSpan.FromSeconds(3));
var cpuBefore = ApiProcess.CpuSeconds(o.ApiPid);
var machineBefore = ApiProcess.MachineBusySeconds();
var loadCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
Interlocked.Exchange(ref startTicks, Stopwatch.GetTimestamp());
// CPU samples every 250 ms (seconds since the start; machine, API, this process): where the two cores went up to the last receipt.
var samples = new List<(double At, double Machine, double Api, double Load)>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        var at = Stopwatch.GetElapsedTime(Interlocked.Read(ref startTicks)).TotalSeconds;
        lock (samples)
        {
            samples.Add((at, ApiProcess.MachineBusySeconds() - machineBefore, ApiProcess.CpuSeconds(o.ApiPid) - cpuBefore,
                (Process.GetCurrentProcess().TotalProcessorTime - loadCpuBefore).TotalSeconds));
        }

        await Task.Delay(250, CancellationToken.None);
    }
});
var started = await Send<OffboardingResponse>(HttpMethod.Post, "/offboardings", new StartOffboardingRequest(person.Id.ToString(), "benchmark", "exposure", null, 120), owner);
OffboardingResponse state;
var deadline = Stopwatch.StartNew();
do
{
    // Every 3 s: the full record (every change, every receipt) is megabytes at this size; the figures are server timestamps.
    await Task.Delay(3000);
    state = await Send<OffboardingResponse>(HttpMethod.Get, $"/offboardings/{started.Id}", null, owner);
}
while (state.Status is not ("completed" or "completed-with-pending") && deadline.Elapsed < TimeSpan.FromSeconds(180));
var cpuAfter = ApiProcess.CpuSeconds(o.ApiPid);
var machineAfter = ApiProcess.MachineBusySeconds();
var loadCpu = (Process.GetCurrentProcess().TotalProcessorTime - loadCpuBefore).TotalSeconds;
var window = Stopwatch.GetElapsedTime(Interlocked.Read(ref startTicks)).TotalSeconds;
await sampling.CancelAsync();
await sampler;
await stop.CancelAsync();
await Task.WhenAll(pollers.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));

// When the last change was really committed: PostgreSQL's commit timestamp of the last transaction that appended an event
// of this offboarding (its correlation id) to another stream than its own. The steps' own timestamps are taken when each
// step starts deciding, and a transaction changing 10,000 clients takes a while to commit after that.
DateTimeOffset? committed = null;
var commits = new List<(DateTimeOffset At, long Events)>();
if (o.Database is { Length: > 0 })
{
    await using var database = new Npgsql.NpgsqlConnection(o.Database);
    await database.OpenAsync();
    await using var query = new Npgsql.NpgsqlCommand(
        "select max(pg_xact_commit_timestamp(xmin)) from control.mt_events where correlation_id = $1 and stream_id <> $2::uuid", database);
    query.Parameters.AddWithValue(started.Id.ToString());
    query.Parameters.AddWithValue(started.Id.ToString());
    committed = await query.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;

    // Each transaction that carried changes: when it committed and how many events it appended (the steps, the batches).
    await using var each = new Npgsql.NpgsqlCommand(
        "select pg_xact_commit_timestamp(xmin) as at, count(*) from control.mt_events where correlation_id = $1 and stream_id <> $2::uuid group by 1 order by 1", database);
    each.Parameters.AddWithValue(started.Id.ToString());
    each.Parameters.AddWithValue(started.Id.ToString());
    await using var reader = await each.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        commits.Add((new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)), reader.GetInt64(1)));
    }
}

var receiptMs = state.Receipts.Where(r => r.ReceiptMilliseconds is not null).Select(r => r.ReceiptMilliseconds!.Value).Order().ToArray();
double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
object Percentiles(double[] values)
{
    var sorted = values.Where(v => v > 0).Order().ToArray();
    // How many in each second after the request: shows when the API hands out the policies, not only how late the last one is.
    var perSecond = sorted.Length == 0 ? [] : new int[(int)(sorted[^1] / 1000) + 1];
    foreach (var v in sorted)
    {
        perSecond[(int)(v / 1000)]++;
    }

    return new { count = sorted.Length, p50 = Math.Round(P(sorted, 0.5)), p99 = Math.Round(P(sorted, 0.99)), max = Math.Round(sorted.LastOrDefault()), perSecond };
}

double? Seconds(DateTimeOffset? from, DateTimeOffset? to) => from is { } a && to is { } b ? Math.Round((b - a).TotalSeconds, 3) : null;
var changes = state.Steps.Sum(s => s.Changes.Count);
var result = new
{
    benchmark = "offboarding",
    date = DateTimeOffset.UtcNow,
    machine = $"{Environment.ProcessorCount} cores",
    clients = o.Agents,
    knownPasswords = o.Passwords,
    heldTokens = o.Tokens,
    exposureBefore = exposure.Secrets.Count,
    status = state.Status,
    changeEvents = changes,
    steps = state.Steps.Select(s => new { s.Step, changes = s.Changes.Count, seconds = Seconds(state.StartedAt, s.CompletedAt) }),
    secondsRequestToStart = Seconds(state.RequestedAt, state.StartedAt),
    secondsToAllChangeEventsCommitted = Seconds(state.StartedAt, committed),
    secondsToLastStepDecided = Seconds(state.StartedAt, state.Steps.Max(s => s.CompletedAt)),
    changeCommits = commits.Select(c => new { seconds = Seconds(state.StartedAt, c.At), events = c.Events }),
    secondsToReceiptWaitStarted = Seconds(state.StartedAt, state.ChangesCommittedAt),
    secondsToLastReceipt = Seconds(state.StartedAt, state.LastReceiptAt),
    receipts = new { expected = state.ExpectedReceipts, pending = state.PendingReceipts },
    receiptAfterChangeMs = new { p50 = Math.Round(P(receiptMs, 0.5)), p99 = Math.Round(P(receiptMs, 0.99)), max = Math.Round(receiptMs.LastOrDefault()) },
    agentSideMs = new
    {
        firstNewPolicy = Percentiles(firstChange),
        lastNewPolicy = Percentiles(lastChange),
        lastReceiptSent = Percentiles(lastAck),
    },
    rejectedPolicies = rejected,
    api = new { cpuSeconds = Math.Round(cpuAfter - cpuBefore, 2) },
    // Where the two cores went from the start to the moment the bench saw it completed (polled every 3 s): the API, the
    // simulated agents (this process), and the whole machine (PostgreSQL is most of the rest).
    cpu = new
    {
        windowSeconds = Math.Round(window, 2),
        api = Math.Round(cpuAfter - cpuBefore, 2),
        loadGenerator = Math.Round(loadCpu, 2),
        machine = Math.Round(machineAfter - machineBefore, 2),
        machineCapacity = Math.Round(window * Environment.ProcessorCount, 2),
        // The same up to the last receipt (the first sample after it): was the machine saturated while it mattered?
        toLastReceipt = Seconds(state.StartedAt, state.LastReceiptAt) is { } lastReceipt && samples.FirstOrDefault(x => x.At >= lastReceipt) is { At: > 0 } sample
            ? new
            {
                seconds = Math.Round(sample.At, 2),
                machine = Math.Round(sample.Machine, 2),
                machineCapacity = Math.Round(sample.At * Environment.ProcessorCount, 2),
                api = Math.Round(sample.Api, 2),
                loadGenerator = Math.Round(sample.Load, 2),
            }
            : null,
    },
    enrolSeconds = Math.Round(enrolSeconds, 1),
};
var text = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Directory.CreateDirectory(Path.GetDirectoryName(o.Output)!);
await File.WriteAllTextAsync(o.Output, text);
Console.WriteLine(
    $"offboarding: {o.Agents} clients, {changes} change events, status {state.Status}; all change events committed {result.secondsToAllChangeEventsCommitted} s after start (receipt wait from {result.secondsToReceiptWaitStarted} s), " +
    $"last receipt {result.secondsToLastReceipt} s ({state.ExpectedReceipts - state.PendingReceipts}/{state.ExpectedReceipts}); receipt after change p50 {result.receiptAfterChangeMs.p50} ms, " +
    $"p99 {result.receiptAfterChangeMs.p99} ms (receipts ride on the agents' next poll); API {result.api.cpuSeconds} CPU-s -> {o.Output}");
return state.Status == "completed" && rejected == 0 ? 0 : 1;

sealed record Options(string Server, string Organization, string User, string Password, int Agents, int Passwords, int Tokens, int ApiPid, string Output, string Database)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
        }

        int Int(string name, string fallback) => int.Parse(Get(name, fallback), CultureInfo.InvariantCulture);
        return new Options(Get("--server"), Get("--org"), Get("--user"), Get("--password"), Int("--agents", "10000"), Int("--passwords", "1000"),
            Int("--tokens", "500"), Int("--api-pid", "0"), Get("--output", "bench/results/offboarding.json"), Get("--database", Environment.GetEnvironmentVariable("BENCH_DATABASE") ?? ""));
    }
}
