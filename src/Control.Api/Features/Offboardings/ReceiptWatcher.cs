using Control.Api.Features.Clients;
using Marten;
using Wolverine;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// Matches offboardings' expected receipts with the receipts agents send (<see cref="ClientPresence"/>, written by the
/// presence tracker) a few times a second, and tells the saga when an offboarding has every receipt or its deadline
/// passed. Works from the database alone, so it resumes after a restart and any API process may do it (repeating it is
/// harmless: a receipt is recorded once, the saga ignores a check that changes nothing).
/// </summary>
public sealed class ReceiptWatcher(IDocumentStore store, IServiceProvider services, TimeProvider clock, ILogger<ReceiptWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private readonly HashSet<Guid> _deadlineReported = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await Check(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Could not check offboarding receipts: {Message}", e.Message);
            }
        }
    }

    private async Task Check(CancellationToken cancellation)
    {
        List<OffboardingReceipt> pending;
        await using (var query = store.QuerySession())
        {
            pending = [.. await query.Query<OffboardingReceipt>().Where(r => r.AnyTenant() && r.Pending).ToListAsync(cancellation)];
        }

        if (pending.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        foreach (var organization in pending.GroupBy(r => r.Organization))
        {
            await using var session = store.LightweightSession(organization.Key);
            var presence = (await session.LoadManyAsync<ClientPresence>(cancellation, organization.Select(r => r.ClientId).Distinct()))
                .ToDictionary(p => p.Id);
            var received = new HashSet<Guid>();
            foreach (var receipt in organization)
            {
                if (presence.GetValueOrDefault(receipt.ClientId) is { EnforcedVersion: { } version } seen && version >= receipt.ExpectedVersion)
                {
                    receipt.Pending = false;
                    receipt.ReceivedAt = seen.EnforcedAt;
                    receipt.ReceivedVersion = version;
                    receipt.Signature = seen.EnforcedSignature;
                    session.Store(receipt);
                    received.Add(receipt.OffboardingId);
                }
            }

            await session.SaveChangesAsync(cancellation);
            await using var scope = services.CreateAsyncScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            foreach (var offboarding in organization.GroupBy(r => r.OffboardingId))
            {
                var left = offboarding.Count(r => r.Pending);
                var overdue = now >= offboarding.First().DueBy;
                if (left == 0 || (received.Contains(offboarding.Key) && overdue) || (overdue && _deadlineReported.Add(offboarding.Key)))
                {
                    await bus.InvokeForTenantAsync(organization.Key, new OffboardingReceiptsChecked(offboarding.Key, left, overdue), cancellation);
                }
            }
        }
    }
}
