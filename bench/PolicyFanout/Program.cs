using System.Collections.Concurrent;
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

// Simulated agents for the policy fan-out benchmark. Each one enrols with its own P-256 key, then behaves like the real
// daemon: long-poll, verify the signature with the pinned key, acknowledge with a signed receipt, poll again. One
// organization-wide ACL change is made; for every agent we record the time from just before the change request was
// sent (so the figure includes the change's own processing) to the agent holding the verified new policy.
var options = Options.Parse(args);
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = int.MaxValue,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    ConnectTimeout = TimeSpan.FromSeconds(30),
};
using var http = new HttpClient(handler) { BaseAddress = new Uri(options.Server), Timeout = TimeSpan.FromSeconds(120) };

var login = await (await http.PostAsJsonAsync("/auth/login", new LoginRequest(options.Organization, options.User, options.Password, null, null), json))
    .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<TokenResponse>(json);

Console.Error.WriteLine($"enrolling {options.Agents} agents ...");
var enrolWatch = Stopwatch.StartNew();
var agents = new Agent[options.Agents];
await Parallel.ForAsync(0, options.Agents, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, cancellation) =>
{
    var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new EnrollRequest(options.LicenseKey, Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), null, $"bench-{i}");
    var response = await http.PostAsJsonAsync("/agent/enroll", request, json, cancellation);
    response.EnsureSuccessStatusCode();
    agents[i] = new Agent(key, (await response.Content.ReadFromJsonAsync<EnrollResponse>(json, cancellation))!);
});
Console.Error.WriteLine($"enrolled in {enrolWatch.Elapsed.TotalSeconds:F1} s; fetching, verifying and acknowledging initial policies ...");

// As the agent does after enrolling: its first policy, verified, then its receipt.
await Parallel.ForEachAsync(agents, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (agent, cancellation) =>
{
    var signed = await agent.FetchAsync(http, 0, cancellation);
    if (!agent.Verify(signed!))
    {
        throw new InvalidOperationException("an initial policy does not verify with the pinned key");
    }

    agent.Version = signed!.Policy.Version;
});

var entry = $"bench-{Guid.NewGuid():N}"[..20] + "@" + options.Organization;
var latencies = new ConcurrentBag<double>();
var latenciesAfterLocalQueueing = new ConcurrentBag<double>();
var receipts = new ConcurrentBag<double>();
using var agentCpu = new AgentCpu(Environment.ProcessorCount);
var wrong = 0;
long changeStartTicks = 0;
using var stop = new CancellationTokenSource();
var parked = 0;

// As PolicyFollower does: after a new policy, poll again at once with the signed receipt for it on that request.
async Task Poll(Agent agent)
{
    var received = false;
    // The initial policy's receipt goes with the first poll, as the agent's after its enrolment.
    long? unacknowledged = agent.Version;
    var counts = false;
    while (!stop.IsCancellationRequested)
    {
        PolicyAcknowledgement? receipt = null;
        if (unacknowledged is not null)
        {
            (receipt, _) = await agentCpu.Run(agent.Receipt);
            if (counts)
            {
                // Sent with this request: the API has it as soon as the request arrives (it answers when the next change comes).
                receipts.Add(Stopwatch.GetElapsedTime(Interlocked.Read(ref changeStartTicks)).TotalMilliseconds);
                counts = false;
            }
        }

        byte[]? body;
        try
        {
            Interlocked.Increment(ref parked);
            body = await agent.FetchBytesAsync(http, 55, stop.Token, receipt);
            unacknowledged = null;
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Interlocked.Decrement(ref parked);
        }

        if (body is null)
        {
            continue;
        }

        var arrived = Stopwatch.GetTimestamp();
        // Parsed and verified on this process's low-priority agent CPUs (see AgentCpu): a simulated agent's own work does
        // not hold up the arrival of the other agents' policies, as it would not on separate machines.
        var ((signed, valid), verifyCpu) = await agentCpu.Run(() =>
        {
            var parsed = Agent.Parse(body);
            return (parsed, agent.Verify(parsed));
        });
        var verified = Stopwatch.GetTimestamp();
        if (!valid || signed.Policy.Version <= agent.Version)
        {
            Interlocked.Increment(ref wrong);
            continue;
        }

        agent.Version = signed.Policy.Version;
        if (!received && signed.Policy.Acl.Entries.Contains(entry))
        {
            received = counts = true;
            var start = Interlocked.Read(ref changeStartTicks);
            // A real agent parses and verifies on its own CPU: its latency is the policy's arrival plus that work's CPU time.
            latencies.Add(Stopwatch.GetElapsedTime(start, arrived).TotalMilliseconds + verifyCpu.TotalMilliseconds);
            latenciesAfterLocalQueueing.Add(Stopwatch.GetElapsedTime(start, verified).TotalMilliseconds);
        }

        unacknowledged = agent.Version;
    }
}


// Open the long polls in batches: the listen backlog is finite.
var pollers = new List<Task>();
foreach (var batch in agents.Chunk(500))
{
    pollers.AddRange(batch.Select(Poll));
    await Task.Delay(100);
}

var settle = Stopwatch.StartNew();
while (Volatile.Read(ref parked) < options.Agents && settle.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(100);
}

async Task Change(string aclEntry)
{
    using var change = new HttpRequestMessage(HttpMethod.Post, "/organization/acl/add")
    {
        Content = JsonContent.Create(new ClientChangeRequest("policy fan-out benchmark", Entry: aclEntry), options: json),
    };
    change.Headers.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
    (await http.SendAsync(change)).EnsureSuccessStatusCode();
}

var settleSeconds = options.SettleSeconds ?? 2 + options.Agents / 5000.0;
// Optional earlier changes, not measured: the figures of a process that has handled a change before (code paths
// compiled to their final tier), next to the default first-change-after-start figures.
for (var warmUp = 0; warmUp < options.WarmUpChanges; warmUp++)
{
    Console.Error.WriteLine($"{Volatile.Read(ref parked)} polls parked; warm-up change {warmUp + 1} of {options.WarmUpChanges} ...");
    var before = agents.Select(a => a.Version).ToArray();
    await Change($"warm-{warmUp}-{Guid.NewGuid():N}"[..20] + "@" + options.Organization);
    var warmUpWatch = Stopwatch.StartNew();
    while (agents.Where((a, i) => a.Version <= before[i]).Any() && warmUpWatch.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(50);
    }

    await Task.Delay(TimeSpan.FromSeconds(2));
}

Console.Error.WriteLine($"{Volatile.Read(ref parked)} polls parked; settling for {settleSeconds:F1} s ...");
await Task.Delay(TimeSpan.FromSeconds(settleSeconds));
var cpuBefore = ApiProcess.CpuSeconds(options.ApiPid);
var loadCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
Console.Error.WriteLine($"{Volatile.Read(ref parked)} polls parked; making the change ...");

Interlocked.Exchange(ref changeStartTicks, Stopwatch.GetTimestamp());
await Change(entry);

var changeAnswered = Stopwatch.GetElapsedTime(changeStartTicks).TotalMilliseconds;
var deadline = Stopwatch.StartNew();
while (latencies.Count < options.Agents && deadline.Elapsed < TimeSpan.FromSeconds(30))
{
    await Task.Delay(20);
}

var cpuAfter = ApiProcess.CpuSeconds(options.ApiPid);
var loadCpu = (Process.GetCurrentProcess().TotalProcessorTime - loadCpuBefore).TotalSeconds;
var windowSeconds = Stopwatch.GetElapsedTime(changeStartTicks).TotalSeconds;
var memory = ProcessMemory(options.ApiPid);
// Receipts are part of the change's cost (the offboarding proof): wait for them too, and count the API's CPU until then.
while (receipts.Count < latencies.Count && deadline.Elapsed < TimeSpan.FromSeconds(60))
{
    await Task.Delay(20);
}

// Accepted by the API (verified with each client's key, written about a second later): read back, not assumed.
var accepted = 0;
for (var attempt = 0; attempt < 20; attempt++)
{
    await Task.Delay(500);
    var clients = await http.SendJsonAsync<List<ClientSummary>>(json, HttpMethod.Get, "/clients", null, login!.AccessToken);
    var versions = agents.ToDictionary(a => a.Enrolment.ClientId, a => a.Version);
    accepted = clients.Count(c => versions.TryGetValue(c.Id, out var v) && c.EnforcedPolicyVersion >= v);
    if (accepted >= latencies.Count)
    {
        break;
    }
}

var cpuWithReceipts = ApiProcess.CpuSeconds(options.ApiPid);
var receiptWindowSeconds = Stopwatch.GetElapsedTime(changeStartTicks).TotalSeconds;
var loadCpuWithReceipts = (Process.GetCurrentProcess().TotalProcessorTime - loadCpuBefore).TotalSeconds;
await stop.CancelAsync();
await Task.WhenAll(pollers.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));

var sorted = latencies.Order().ToArray();
var queued = latenciesAfterLocalQueueing.Order().ToArray();
var receiptTimes = receipts.Order().ToArray();
double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
double QueuedPercentile(double p) => queued.Length == 0 ? double.NaN : queued[Math.Min(queued.Length - 1, (int)Math.Ceiling(p * queued.Length) - 1)];
var result = new
{
    benchmark = "policy-fanout",
    date = DateTimeOffset.UtcNow,
    machine = $"{Environment.ProcessorCount} cores",
    agents = options.Agents,
    warmUpChanges = options.WarmUpChanges,
    received = sorted.Length,
    missed = options.Agents - sorted.Length,
    rejected = wrong,
    changeRequestMs = Math.Round(changeAnswered, 1),
    latencyMs = new { min = Math.Round(sorted.FirstOrDefault(), 1), p50 = Math.Round(Percentile(0.50), 1), p90 = Math.Round(Percentile(0.90), 1), p99 = Math.Round(Percentile(0.99), 1), max = Math.Round(sorted.LastOrDefault(), 1) },
    // Until this process had verified the policy, including its wait behind the other simulated agents' verifications.
    latencyAfterLoadGeneratorQueueingMs = new { p50 = Math.Round(QueuedPercentile(0.50), 1), p99 = Math.Round(QueuedPercentile(0.99), 1), max = Math.Round(queued.LastOrDefault(), 1) },
    // Receipts for the new policy: sent with the agents' next polls (when, after the change), and how many the API recorded.
    receipts = new { sent = receiptTimes.Length, accepted, p99Ms = Math.Round(receiptTimes.Length == 0 ? double.NaN : receiptTimes[Math.Min(receiptTimes.Length - 1, (int)Math.Ceiling(0.99 * receiptTimes.Length) - 1)], 1), lastMs = Math.Round(receiptTimes.LastOrDefault(), 1) },
    // CPU until every agent held the policy, and until every receipt was in.
    api = new { cpuSeconds = Math.Round(cpuAfter - cpuBefore, 2), windowSeconds = Math.Round(windowSeconds, 2), cpuSecondsWithReceipts = Math.Round(cpuWithReceipts - cpuBefore, 2), receiptWindowSeconds = Math.Round(receiptWindowSeconds, 2), rssMb = memory.Rss, peakRssMb = memory.Peak },
    loadGenerator = new { cpuSeconds = Math.Round(loadCpu, 2), cpuSecondsWithReceipts = Math.Round(loadCpuWithReceipts, 2) },
    enrolSeconds = Math.Round(enrolWatch.Elapsed.TotalSeconds, 1),
};
var text = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
Directory.CreateDirectory(Path.GetDirectoryName(options.Output)!);
await File.WriteAllTextAsync(options.Output, text);
Console.WriteLine(
    $"policy-fanout: {options.Agents} agents, {sorted.Length} received, {options.Agents - sorted.Length} missed, {wrong} rejected; " +
    $"p50 {result.latencyMs.p50} ms, p99 {result.latencyMs.p99} ms, max {result.latencyMs.max} ms " +
    $"(p99 {result.latencyAfterLoadGeneratorQueueingMs.p99} ms with this process's queue of verifications); " +
    $"API {result.api.cpuSeconds} CPU-s in {result.api.windowSeconds} s, RSS {memory.Rss} MB (peak {memory.Peak} MB); load generator {result.loadGenerator.cpuSeconds} CPU-s; " +
    $"{receiptTimes.Length} receipts sent (on the next poll), last at {result.receipts.lastMs} ms, {accepted} recorded by the API (API {result.api.cpuSecondsWithReceipts} CPU-s) -> {options.Output}");
return sorted.Length == options.Agents && wrong == 0 && accepted >= sorted.Length ? 0 : 1;

static (long Rss, long Peak) ProcessMemory(int pid)
{
    if (pid <= 0 || !File.Exists($"/proc/{pid}/status"))
    {
        return (-1, -1);
    }

    var lines = File.ReadAllLines($"/proc/{pid}/status");
    long Read(string name) => long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
    return (Read("VmRSS"), Read("VmHWM"));
}

/// <summary>
/// The simulated agents' own CPUs: work an agent does on its own machine (verifying its policy, signing its receipt) runs
/// here, on threads of the idle scheduling class (SCHED_IDLE), so it neither delays the arrival of the other agents' policies in
/// this process nor competes with the API for the cores. Each job is timed in the CPU time of its thread, which is what
/// it would take on a machine of its own.
/// </summary>
sealed class AgentCpu : IDisposable
{
    private readonly BlockingCollection<Action> _jobs = new();

    public AgentCpu(int threads)
    {
        for (var i = 0; i < threads; i++)
        {
            new Thread(() =>
            {
                // SCHED_IDLE: run only when nothing else wants the core (weaker than nice 19, which still takes a share).
                var none = 0;
                if (Native.sched_setscheduler(Native.gettid(), Native.SchedIdle, ref none) != 0)
                {
                    _ = Native.setpriority(0, Native.gettid(), 19);
                }
                foreach (var job in _jobs.GetConsumingEnumerable())
                {
                    job();
                }
            }) { IsBackground = true, Name = $"agent cpu {i}" }.Start();
        }
    }

    public Task<(T Result, TimeSpan Cpu)> Run<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<(T, TimeSpan)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _jobs.Add(() =>
        {
            try
            {
                var before = Native.ThreadCpuTime();
                var result = work();
                done.SetResult((result, Native.ThreadCpuTime() - before));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    public void Dispose() => _jobs.CompleteAdding();
}

static partial class Native
{
    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
    internal static partial int setpriority(int which, int who, int priority);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    internal static partial int gettid();

    internal const int SchedIdle = 5;

    [System.Runtime.InteropServices.LibraryImport("libc", SetLastError = true)]
    internal static partial int sched_setscheduler(int pid, int policy, ref int parameter);

    [System.Runtime.InteropServices.LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>CLOCK_THREAD_CPUTIME_ID: CPU time this thread has used.</summary>
    internal static TimeSpan ThreadCpuTime() =>
        clock_gettime(3, out var time) == 0 ? TimeSpan.FromTicks(time.Seconds * TimeSpan.TicksPerSecond + time.Nanoseconds / 100) : throw new InvalidOperationException("clock_gettime failed");
}

sealed record Options(string Server, string Organization, string User, string Password, string LicenseKey, int Agents, int ApiPid, string Output, double? SettleSeconds, int WarmUpChanges)
{
    public static Options Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"missing {name}");
        }

        return new Options(Get("--server"), Get("--org"), Get("--user"), Get("--password"), Get("--license"),
            int.Parse(Get("--agents", "1000"), CultureInfo.InvariantCulture), int.Parse(Get("--api-pid", "0"), CultureInfo.InvariantCulture),
            Get("--output", "bench/results/policy-fanout.json"),
            Array.IndexOf(args, "--settle-seconds") >= 0 ? double.Parse(Get("--settle-seconds"), CultureInfo.InvariantCulture) : null,
            int.Parse(Get("--warm-up-changes", "0"), CultureInfo.InvariantCulture));
    }
}
