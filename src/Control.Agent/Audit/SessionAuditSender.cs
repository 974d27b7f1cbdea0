using System.Net;
using Control.Agent.Policies;
using Control.Agent.Server;
using Control.Domain.Contracts;

namespace Control.Agent.Audit;

/// <summary>
/// Sends the <see cref="SessionEventQueue"/> to the API in order, in batches of at most
/// <see cref="AgentSessionEventBatch.MaxEvents"/>, and forgets a batch only after a 2xx naming every id in it; then uploads
/// finished recordings (after the events, so the API knows their session). While the API is unreachable or answers 5xx
/// (or refuses the credential) it backs off with jitter and tries again: the queue on disk is the only copy until then.
/// </summary>
internal sealed class SessionAuditSender(SessionEventQueue queue, AgentApi api, TextWriter errors, Backoff? backoff = null)
{
    /// <summary>How long to sleep with nothing to send before looking again (a record wakes the sender at once).</summary>
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(30);

    private readonly Backoff _backoff = backoff ?? new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), Random.Shared);
    private int _batchSize = AgentSessionEventBatch.MaxEvents;
    private string? _lastProblem;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TimeSpan? pause;
            try
            {
                pause = await StepAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ServerUnavailableException or IOException)
            {
                Report($"session audit: cannot deliver yet ({Describe(e)}); kept on disk, retrying");
                pause = _backoff.Next();
            }

            try
            {
                if (pause is { } delay)
                {
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, stop);
                    }
                }
                else
                {
                    await queue.WaitForWorkAsync(IdleWait, stop);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One exchange; the pause before the next (zero: go on at once), or null when everything is delivered.</summary>
    private async Task<TimeSpan?> StepAsync(CancellationToken stop)
    {
        var batch = queue.Pending(_batchSize);
        if (!batch.IsEmpty)
        {
            return await SendAsync(batch, stop);
        }

        foreach (var recording in queue.PendingRecordings())
        {
            var answer = await api.PutRecordingPartAsync(recording.SessionId, recording.Index, recording.Path, stop);
            if (Unavailable(answer.Status))
            {
                throw new ServerUnavailableException($"the API answers HTTP {(int)answer.Status} to a recording upload");
            }

            if (answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests)
            {
                Report($"session audit: recording of session {recording.SessionId} not taken yet ({answer.Problem}); retrying");
                return _backoff.Next();
            }

            if (answer.Problem is null)
            {
                queue.RecordingUploaded(recording);
            }
            else
            {
                queue.RecordingRefused(recording);
                errors.WriteLine($"session audit: the API refused the recording of session {recording.SessionId} ({answer.Problem}); kept at {recording.Path}");
            }
        }

        Recovered();
        return null;
    }

    private async Task<TimeSpan> SendAsync(QueueBatch batch, CancellationToken stop)
    {
        if (batch.Events.Count == 0)
        {
            // Only unreadable lines or fully acknowledged segments: nothing to send, just tidy up.
            queue.Acknowledge(batch);
            return TimeSpan.Zero;
        }

        var answer = await api.PostSessionEventsAsync(new AgentSessionEventBatch(batch.Events), stop);
        if (Unavailable(answer.Status))
        {
            throw new ServerUnavailableException($"the API answers HTTP {(int)answer.Status}");
        }

        if (answer.Problem is null)
        {
            var accepted = answer.Value?.Accepted.ToHashSet() ?? [];
            if (!batch.Events.All(e => accepted.Contains(e.Id)))
            {
                // A 2xx that does not name every id is not an acknowledgement: keep them all and try again later.
                Report("session audit: the API's answer does not acknowledge every event sent; retrying");
                return _backoff.Next();
            }

            queue.Acknowledge(batch);
            _batchSize = AgentSessionEventBatch.MaxEvents;
            _backoff.Reset();
            Recovered();
            return TimeSpan.Zero;
        }

        if (answer.Status is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
        {
            Report($"session audit: the API does not take events now ({answer.Problem}); kept on disk, retrying");
            return _backoff.Next();
        }

        if (batch.Events.Count > 1)
        {
            // A refusal names no single culprit: go one by one so only the refused event is set aside.
            _batchSize = 1;
            return TimeSpan.Zero;
        }

        queue.SetAside(batch);
        errors.WriteLine($"session audit: the API refused event {batch.Events[0].Id} ({batch.Events[0].Type}): {answer.Problem}; set aside in the queue folder, not resent");
        return TimeSpan.Zero;
    }

    private static bool Unavailable(HttpStatusCode status) => status >= HttpStatusCode.InternalServerError;

    private void Report(string message)
    {
        if (message != _lastProblem)
        {
            errors.WriteLine(message);
        }

        _lastProblem = message;
    }

    private void Recovered()
    {
        if (_lastProblem is not null)
        {
            errors.WriteLine("session audit: delivering again");
            _lastProblem = null;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        HttpRequestException http => AgentApi.Describe(http),
        OperationCanceledException => $"no answer within {AgentApi.Timeout.TotalSeconds:0} s",
        _ => e.Message,
    };
}
