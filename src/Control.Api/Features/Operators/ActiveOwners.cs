using Control.Domain.Operators;
using Marten;

namespace Control.Api.Features.Operators;

/// <summary>
/// The count of active owners that the last-owner rule decides with. When the account at stake is an active owner's, it is
/// read under a lock per organization held until the change commits, so that two owners disabling each other at the same
/// moment (or an offboarding beside a direct disable) cannot each still count the other and leave the organization with none.
/// </summary>
public static class ActiveOwners
{
    public static async Task<int> Count(IDocumentSession session, IEnumerable<Operator> atStake, CancellationToken cancellation)
    {
        if (atStake.Any(IsActiveOwner))
        {
            await session.BeginTransactionAsync(cancellation);
            await session.AdvancedSql.QueryAsync<int>("select 1 from pg_advisory_xact_lock(hashtext(?))", cancellation, "control.owners:" + session.TenantId);
        }

        return await session.Query<Operator>().CountAsync(o => o.Role == OperatorRole.Owner && o.Status == OperatorStatus.Active, cancellation);
    }

    public static bool IsActiveOwner(Operator account) => account is { Role: OperatorRole.Owner, Status: OperatorStatus.Active };
}
