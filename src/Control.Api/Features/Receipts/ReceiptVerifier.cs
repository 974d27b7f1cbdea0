using System.Collections.Concurrent;
using Control.Api.Features.PolicyDelivery;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;

namespace Control.Api.Features.Receipts;

/// <summary>
/// Checks the receipts that came with policy requests against each client's enrolment key and the parts served to it
/// (<see cref="ServedPolicyParts"/>), on one thread of the lowest
/// priority (nice 19): after a change, the fleet's receipts arrive with the polls that follow its delivery, and their
/// signatures (a P-256 verification each) must not slow down the policies still on their way. A receipt that verifies is
/// handed on with the time it arrived; one that does not is dropped and logged. Receipts added before the host starts
/// the thread wait in the queue.
/// </summary>
public sealed class ReceiptVerifier(PolicySnapshots snapshots, ServedPolicyParts served, ILogger<ReceiptVerifier> logger) : IHostedService, IDisposable
{
    private readonly BlockingCollection<(string Organization, Guid Client, PolicyAcknowledgement Receipt, DateTimeOffset At)> _queue = new();

    /// <summary>Called with each verified receipt (organization, client, receipt, arrival time).</summary>
    public event Action<string, Guid, PolicyAcknowledgement, DateTimeOffset>? Verified;

    public void Add(string organization, Guid clientId, PolicyAcknowledgement receipt, DateTimeOffset at) =>
        _queue.TryAdd((organization, clientId, receipt, at));

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LowPriorityThread.Start("receipt verifier", Run);
        return Task.CompletedTask;
    }

    // The thread ends when the container disposes of the queue (Dispose): receipts may still be added until then.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Run()
    {
        foreach (var (organization, clientId, receipt, at) in _queue.GetConsumingEnumerable())
        {
            try
            {
                // Client snapshots are cached; a miss joins the batched load (a blocking wait on this thread alone).
                var client = snapshots.Client(organization, clientId).GetAwaiter().GetResult();
                if (client is not null && served.Acknowledges(client, snapshots.PublicKey(client), receipt))
                {
                    Verified?.Invoke(organization, clientId, receipt, at);
                }
                else
                {
                    logger.LogWarning(
                        "A policy receipt from client {Client} for v{Version} does not verify with its enrolment key or names parts this API did not serve; ignored",
                        clientId, receipt.Version);
                }
            }
            catch (Exception e)
            {
                logger.LogWarning("Could not check a policy receipt from client {Client}: {Message}", clientId, e.Message);
            }
        }
    }

    public void Dispose() => _queue.CompleteAdding();
}
