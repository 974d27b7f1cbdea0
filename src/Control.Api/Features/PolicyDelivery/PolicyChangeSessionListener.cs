using Control.Domain.Clients;
using JasperFx.Events;
using Marten;
using Marten.Services;

namespace Control.Api.Features.PolicyDelivery;

/// <summary>
/// Adds the pg_notify to every transaction that changes a client's or an organization's policy, and after the commit
/// drops this process's cached snapshots at once (read-your-writes here; other processes learn it from the notification).
/// </summary>
public sealed class PolicyChangeSessionListener(PolicyInvalidations invalidations) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        // One statement however many clients change (an offboarding changes thousands in one transaction): a statement
        // each cost PostgreSQL a parse and a plan per client, inside the transaction that holds up their new policies.
        var payloads = Targets(session.PendingChanges.Streams()).Select(target => $"{session.TenantId}:{target}").ToArray();
        if (payloads.Length > 0)
        {
            session.QueueSqlCommand($"select pg_notify('{PolicyChangeNotifier.Channel}', payload) from unnest(?::text[]) as payload", new object[] { payloads });
        }

        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var target in Targets(commit.GetStreams()))
        {
            invalidations.Committed(session.TenantId, target);
        }

        return Task.CompletedTask;
    }

    private static IEnumerable<string> Targets(IEnumerable<StreamAction> streams)
    {
        foreach (var stream in streams)
        {
            if (stream.Events.Any(e => PolicyChangingEvents.ChangeClientPolicy(e.Data)))
            {
                yield return stream.Id.ToString();
            }
            else if (stream.Events.Any(e => PolicyChangingEvents.ChangeEveryClientPolicy(e.Data)))
            {
                yield return PolicyChangeNotifier.EveryClient;
            }
        }
    }
}

/// <summary>Hands committed policy changes from the event store's listener (built with the store) to the policy cache.</summary>
public sealed class PolicyInvalidations
{
    public event Action<string, string>? Changed;

    public void Committed(string organization, string target) => Changed?.Invoke(organization, target);
}
