using Control.Api.Features.Offboardings;
using Marten;
using Wolverine;

namespace Control.Api.Features.Receipts;

/// <summary>
/// Matches offboardings' expected receipts with the receipts agents send (<see cref="ClientPresence"/>, written by the
/// presence tracker) a few times a second, and tells the saga when an offboarding has every receipt or its deadline
/// passed. Each tick looks only at the receipts that arrived since the last one (plus a margin for the presence
/// tracker's batching), so ten thousand pending receipts cost nothing while they wait; a full pass now and then is the
/// safety net. Works from the database alone: it resumes after a restart and any API process may do it (repeating it is
/// harmless: a receipt is recorded once, the saga ignores a check that changes nothing).
/// </summary>
public sealed class ReceiptWatcher(IDocumentStore store, IServiceProvider services, TimeProvider clock, ILogger<ReceiptWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FullPassEvery = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan DeadlineSweepEvery = TimeSpan.FromSeconds(1);
    private readonly HashSet<Guid> _deadlineReported = [];
    private DateTimeOffset _since = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFullPass = DateTimeOffset.MinValue;
    private DateTimeOffset _lastDeadlineSweep = DateTimeOffset.MinValue;

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
        var now = clock.GetUtcNow();
        var full = now - _lastFullPass >= FullPassEvery;
        List<OffboardingReceipt> candidates;
        await using (var query = store.QuerySession())
        {
            if (full)
            {
                candidates = [.. await query.Query<OffboardingReceipt>().Where(r => r.AnyTenant() && r.Pending).ToListAsync(cancellation)];
            }
            else if (!await query.Query<OffboardingReceipt>().AnyAsync(r => r.AnyTenant() && r.Pending, cancellation))
            {
                // Nothing waits for a receipt (an offboarding writes its receipts when its changes are all committed), so the
                // arrivals are not read: while ten thousand agents acknowledge an offboarding's changes, each tick would read
                // ten thousand client ids for nothing.
                candidates = [];
            }
            else
            {
                // Client ids are unique across organizations, so a receipt that arrived is matched by its client alone.
                var since = _since - Margin;
                var arrived = await query.Query<ClientPresence>().Where(p => p.AnyTenant() && p.EnforcedAt >= since).Select(p => p.Id).ToListAsync(cancellation);
                candidates = arrived.Count == 0
                    ? []
                    : [.. await query.Query<OffboardingReceipt>().Where(r => r.AnyTenant() && r.Pending && arrived.Contains(r.ClientId)).ToListAsync(cancellation)];
            }
        }

        _since = now;
        if (full)
        {
            _lastFullPass = now;
        }

        await using var scope = services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var organization in candidates.GroupBy(r => r.Organization))
        {
            var touched = await Record(organization.Key, organization.ToList(), cancellation);
            foreach (var offboarding in touched)
            {
                await using var session = store.QuerySession(organization.Key);
                var left = await session.Query<OffboardingReceipt>().CountAsync(r => r.OffboardingId == offboarding && r.Pending, cancellation);
                if (left == 0)
                {
                    await bus.InvokeForTenantAsync(organization.Key, new OffboardingReceiptsChecked(offboarding, 0, false), cancellation);
                }
            }
        }

        if (now - _lastDeadlineSweep >= DeadlineSweepEvery)
        {
            _lastDeadlineSweep = now;
            await using var query = store.QuerySession();
            var overdue = await query.Query<OffboardingReceipt>().Where(r => r.AnyTenant() && r.Pending && r.DueBy <= now)
                .Select(r => new OverdueReceipt(r.OffboardingId, r.Organization)).ToListAsync(cancellation);
            foreach (var late in overdue.Distinct().Where(late => _deadlineReported.Add(late.OffboardingId)))
            {
                await bus.InvokeForTenantAsync(late.Organization, new OffboardingReceiptsChecked(late.OffboardingId, -1, true), cancellation);
            }
        }
    }

    /// <summary>Marks the receipts whose client now enforces the expected version (or later); returns the offboardings touched.</summary>
    private async Task<HashSet<Guid>> Record(string organization, List<OffboardingReceipt> receipts, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession(organization);
        var presence = (await session.LoadManyAsync<ClientPresence>(cancellation, receipts.Select(r => r.ClientId).Distinct())).ToDictionary(p => p.Id);
        var touched = new HashSet<Guid>();
        foreach (var receipt in receipts)
        {
            if (Matches(receipt, presence.GetValueOrDefault(receipt.ClientId)))
            {
                session.Store(receipt);
                touched.Add(receipt.OffboardingId);
            }
        }

        await session.SaveChangesAsync(cancellation);
        return touched;
    }

    /// <summary>Records the receipt if the client's signed receipt covers the expected version.</summary>
    public static bool Matches(OffboardingReceipt receipt, ClientPresence? seen)
    {
        if (seen is not { EnforcedVersion: { } version } || version < receipt.ExpectedVersion)
        {
            return false;
        }

        receipt.Pending = false;
        receipt.ReceivedAt = seen.EnforcedAt;
        receipt.ReceivedVersion = version;
        receipt.Signature = seen.EnforcedSignature;
        return true;
    }

    private sealed record OverdueReceipt(Guid OffboardingId, string Organization);
}
