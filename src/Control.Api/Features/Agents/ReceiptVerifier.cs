using System.Collections.Concurrent;
using Control.Api.Infrastructure;
using Control.Domain.Contracts;

namespace Control.Api.Features.Agents;

/// <summary>
/// Checks the receipts that came with policy requests against each client's enrolment key and the parts served to it
/// (<see cref="ServedPolicyParts"/>), on one thread of the lowest
/// priority (nice 19): after a change, the fleet's receipts arrive with the polls that follow its delivery, and their
/// signatures (a P-256 verification each) must not slow down the policies still on their way. A receipt that verifies is
/// handed on with the time it arrived; one that does not is dropped and logged.
/// </summary>
public sealed class ReceiptVerifier : IDisposable
{
    private readonly BlockingCollection<(string Organization, Guid Client, PolicyAcknowledgement Receipt, DateTimeOffset At)> _queue = new();
    private readonly PolicyService policies;
    private readonly ServedPolicyParts served;
    private readonly ILogger<ReceiptVerifier> logger;

    public ReceiptVerifier(PolicyService policies, ServedPolicyParts served, ILogger<ReceiptVerifier> logger)
    {
        this.policies = policies;
        this.served = served;
        this.logger = logger;
        LowPriorityThread.Start("receipt verifier", Run);
    }

    /// <summary>Called with each verified receipt (organization, client, receipt, arrival time).</summary>
    public event Action<string, Guid, PolicyAcknowledgement, DateTimeOffset>? Verified;

    public void Add(string organization, Guid clientId, PolicyAcknowledgement receipt, DateTimeOffset at) =>
        _queue.TryAdd((organization, clientId, receipt, at));

    private void Run()
    {
        foreach (var (organization, clientId, receipt, at) in _queue.GetConsumingEnumerable())
        {
            try
            {
                // Client snapshots are cached; a miss joins the batched load (a blocking wait on this thread alone).
                var client = policies.Client(organization, clientId).GetAwaiter().GetResult();
                if (client is not null && served.Acknowledges(client, policies.PublicKey(client), receipt))
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
