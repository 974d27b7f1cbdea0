using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Control.Domain.Contracts;
using Control.Domain.Security;

// Shared by the load generators (bench/PolicyFanout, bench/Offboarding): one simulated agent's side of the protocol,
// and readings of the API process.

/// <summary>A simulated agent: its own P-256 key, its enrolment, the pinned policy key (imported once, like the real agent).</summary>
sealed class Agent(ECDsa key, EnrollResponse enrolment)
{
    public ECDsa Key { get; } = key;
    public EnrollResponse Enrolment { get; } = enrolment;

    /// <summary>Like the real agent, the pinned policy key is imported once.</summary>
    public ECDsa PinnedKey { get; } = PolicySignature.ImportPublicKey(enrolment.PolicyPublicKey);
    public long Version { get; set; }

    /// <summary>The last policy this agent verified: a part identical to its part is not verified again (as the real agent does).</summary>
    public SignedPolicy? Verified { get; set; }

    /// <summary>Long-polls for a policy newer than <see cref="Version"/>; null when the API answers 304.</summary>
    public async Task<SignedPolicy?> FetchAsync(HttpClient http, int wait, CancellationToken cancellation, PolicyAcknowledgement? receipt = null) =>
        await FetchBytesAsync(http, wait, cancellation, receipt) is { } body ? Parse(body) : null;

    /// <summary>As <see cref="FetchAsync"/>, the body as it arrived: parsing it is the agent's own work (see <see cref="Parse"/>).</summary>
    public async Task<byte[]?> FetchBytesAsync(HttpClient http, int wait, CancellationToken cancellation, PolicyAcknowledgement? receipt = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/agent/policy?wait={wait}");
        request.Headers.Authorization = new AuthenticationHeaderValue("ControlAgent", Enrolment.Credential);
        if (receipt is not null)
        {
            // As the real agent: the receipt for the version in force rides on the next policy request.
            request.Headers.TryAddWithoutValidation(PolicyAcknowledgement.Header, receipt.HeaderValue);
        }

        if (Version > 0)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{Version}\"");
        }

        using var response = await http.SendAsync(request, cancellation);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(cancellation);
    }

    public static SignedPolicy Parse(byte[] body) => JsonSerializer.Deserialize(body, PolicyJsonContext.Default.SignedPolicy)!;

    /// <summary>Verifies with the pinned key as the real agent does; a verified policy becomes <see cref="Verified"/>.</summary>
    public bool Verify(SignedPolicy signed)
    {
        if (!PolicySignature.Verify(signed, PinnedKey, Verified))
        {
            return false;
        }

        Verified = signed;
        return true;
    }

    /// <summary>The signed receipt for the policy verified last (<see cref="Verified"/>), as the real agent sends it.</summary>
    public PolicyAcknowledgement Receipt() => PolicyReceipts.Sign(Key, Enrolment.ClientId, Verified!);
}

static class ApiProcess
{
    public static double CpuSeconds(int pid)
    {
        if (pid <= 0 || !File.Exists($"/proc/{pid}/stat"))
        {
            return double.NaN;
        }

        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // utime and stime are fields 14 and 15 of /proc/PID/stat (11 and 12 after the command name), in clock ticks (100 Hz).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>CPU time every process of the machine used (all cores; /proc/stat: user, nice, system, irq, softirq, steal).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / 100.0;
    }
}

static class ApiCalls
{
    /// <summary>One JSON request to the API as an operator (bearer) or anonymously; a failure throws with the problem's text.</summary>
    public static async Task<T> SendJsonAsync<T>(this HttpClient http, JsonSerializerOptions json, HttpMethod method, string path, object? body, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType(), options: json) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return typeof(T) == typeof(object) ? default! : (await response.Content.ReadFromJsonAsync<T>(json))!;
    }
}
