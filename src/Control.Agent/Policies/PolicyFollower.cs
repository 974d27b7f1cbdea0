using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Control.Agent.Server;
using Control.Agent.Sessions;
using Control.Agent.Storage;
using Control.Domain.Contracts;
using Control.Domain.Security;
using Control.Http;

namespace Control.Agent.Policies;

/// <summary>
/// The agent's main loop: long-poll the API for a newer signed policy, admit it only through <see cref="PolicyGate"/>,
/// cache it, then send the signed receipt with the next policy request (at once: it costs no request of its own).
/// Whatever goes wrong (API down, bad document, refused credential), the last good policy stays in force.
/// </summary>
internal sealed class PolicyFollower(
    Enrolment enrolment, ECDsa agentKey, StateDirectory state, AgentApi api, StatusReporter status, TextWriter output, TextWriter errors,
    PolicyInForce? sessions = null)
{
    /// <summary>A removed client has nothing left to wait for urgently.</summary>
    private static readonly TimeSpan RemovedPollInterval = TimeSpan.FromSeconds(60);

    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), Random.Shared);
    private SignedPolicy? _inForce;
    private long? _unacknowledged;
    private string? _lastReported;

    private bool Removed => _inForce?.Policy.Removed == true;

    private string InForce => _inForce is null ? "no policy yet (nothing is allowed)" : $"policy v{_inForce.Policy.Version}";

    public async Task<int> RunAsync(CancellationToken stop)
    {
        var cached = PolicyCache.Read(state, enrolment);
        if (cached.Refusal is not null)
        {
            errors.WriteLine($"cached policy refused: {cached.Refusal}; waiting for a signed policy from the server");
        }

        _inForce = cached.Signed;
        sessions?.Replace(_inForce?.Policy);
        if (_inForce is not null && (status.AcknowledgedVersion ?? long.MinValue) < _inForce.Policy.Version)
        {
            _unacknowledged = _inForce.Policy.Version;
        }

        output.WriteLine($"control-agent {AgentVersion.Text} running as {enrolment.DisplayName} with {enrolment.Server}; {(_inForce is null ? InForce : InForce + " in force")}");
        if (Removed)
        {
            output.WriteLine(RemovedNotice());
        }

        while (!stop.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                pause = await StepAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (UnreachableReason(e) is { } reason)
            {
                status.Unreachable(reason, InForce);
                pause = _backoff.Next();
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        status.Stopped();
        output.WriteLine($"stopped; {InForce} stays in force");
        return ExitCodes.Ok;
    }

    /// <summary>One exchange with the API; returns how long to pause before the next.</summary>
    private async Task<TimeSpan> StepAsync(CancellationToken stop)
    {
        // The receipt for the version in force rides on this request; the server has it when the request is answered.
        var receipt = _unacknowledged is { } version && _inForce?.Policy.Version == version
            ? PolicyReceipts.Sign(agentKey, enrolment.ClientId, _inForce)
            : null;
        var answer = await api.GetPolicyAsync(_inForce?.Policy.Version, AgentApi.PolicyWaitSeconds, receipt, stop);
        if (receipt is not null)
        {
            Receipted(receipt.Version, answer);
        }

        switch (answer.Status)
        {
            case HttpStatusCode.NotModified:
                status.Reached(credentialAccepted: true, InForce);
                _backoff.Reset();
                return Removed && _unacknowledged is null ? RemovedPollInterval : TimeSpan.Zero;
            case HttpStatusCode.OK:
                status.Reached(credentialAccepted: true, InForce);
                return Consider(answer);
            case HttpStatusCode.Unauthorized:
                status.Reached(credentialAccepted: false, InForce);
                return _backoff.Next();
            case >= HttpStatusCode.InternalServerError:
                throw new ServerUnavailableException($"{enrolment.Server} answers {Describe(answer.Status, answer.Problem)}");
            default:
                status.Reached(credentialAccepted: true, InForce);
                Report($"unexpected answer to the policy request: {Describe(answer.Status, answer.Problem)}; {InForce} stays in force", null);
                return _backoff.Next();
        }
    }

    private TimeSpan Consider(PolicyAnswer answer)
    {
        var signed = answer.Signed;
        var refusal = signed is null
            ? "it is not a policy document"
            : PolicyGate.Admit(signed, enrolment, _inForce);
        if (refusal is not null)
        {
            var claimed = signed?.IsComplete == true ? $" claiming v{signed.Policy.Version}" : "";
            Report($"refused a policy{claimed}: {refusal}; {InForce} stays in force", answer.Digest);
            return _backoff.Next();
        }

        try
        {
            PolicyCache.Write(state, signed!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not applied: what is in force must be what a restart would load, and the receipt must not claim more.
            Report($"cannot write {state.PolicyFile} ({e.Message}); policy v{signed!.Policy.Version} not applied, {InForce} stays in force", answer.Digest);
            return _backoff.Next();
        }

        _inForce = signed;
        sessions?.Replace(signed!.Policy);
        _unacknowledged = signed!.Policy.Version;
        _lastReported = null;
        _backoff.Reset();
        output.WriteLine($"policy v{signed.Policy.Version} applied ({PolicySummary.Describe(signed.Policy)})");
        if (Removed)
        {
            errors.WriteLine(RemovedNotice());
        }

        return TimeSpan.Zero;
    }

    /// <summary>What became of the receipt that rode on a policy request.</summary>
    private void Receipted(long version, PolicyAnswer answer)
    {
        switch (answer.Status)
        {
            case HttpStatusCode.OK or HttpStatusCode.NotModified:
                status.Acknowledged(version);
                break;
            case HttpStatusCode.Unauthorized or >= HttpStatusCode.InternalServerError:
                // Kept pending: it goes out with the next request the server answers.
                return;
            default:
                // Sending the same receipt again cannot fix a refusal; the next policy brings a new one.
                Report($"the server refused the receipt for policy v{version}: {Describe(answer.Status, answer.Problem)}", null);
                break;
        }

        if (_unacknowledged == version)
        {
            _unacknowledged = null;
        }
    }

    /// <summary>Logs a problem to stderr once (the same refused document or message is not repeated on every retry) and records it in the status.</summary>
    private void Report(string message, string? digest)
    {
        var isNew = status.Problem(message);
        var key = digest ?? message;
        if (isNew || key != _lastReported)
        {
            errors.WriteLine(message);
        }

        _lastReported = key;
    }

    private static string Describe(HttpStatusCode status, ApiProblem? problem)
    {
        var code = $"HTTP {(int)status}";
        return problem?.ToString() is { } text && text != code ? $"{code} ({text})" : code;
    }

    private string RemovedNotice() => $"this client was removed from {_inForce!.Policy.Organization}; no sessions will be accepted";

    private string? UnreachableReason(Exception e) => e switch
    {
        HttpRequestException http => $"cannot reach {enrolment.Server}: {AgentApi.Describe(http)}",
        OperationCanceledException => $"{enrolment.Server} did not answer within {AgentApi.Timeout.TotalSeconds:0} s",
        ServerUnavailableException unavailable => unavailable.Message,
        IOException io => $"connection to {enrolment.Server} failed: {io.Message}",
        _ => null,
    };
}

/// <summary>The API answered with a 5xx: for the agent that is the same as not reaching it.</summary>
internal sealed class ServerUnavailableException : Exception
{
    public ServerUnavailableException()
    {
    }

    public ServerUnavailableException(string message)
        : base(message)
    {
    }

    public ServerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
