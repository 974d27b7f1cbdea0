using Control.Api.Features.Operators;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using JasperFx.Events;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 2 (<see cref="OffboardingStep.DisableAccountsAndResetPortalPasswords"/>): the person's operator accounts
/// are disabled (their viewer certificates revoked) and the shared portal passwords they knew are reset. The accounts are
/// read again after the active owners are counted under the owners' lock, so that the last owner is never disabled.
/// </summary>
public static class Step2DisableAccountsAndResetPortalPasswords
{
    public static async Task Run(OffboardingStepContext step)
    {
        var session = step.Session;
        var facts = await step.ReadFacts(_ => []);
        var atStake = OffboardingDecider.AccountsToChange(facts);
        var organization = await session.Events.FetchForWriting<Organization>(facts.Organization.Id, step.Cancellation);
        var owners = await ActiveOwners.Count(session, [.. atStake.Theirs, .. atStake.Shared], step.Cancellation);
        var streams = new Dictionary<Guid, IEventStream<Operator>>();
        foreach (var account in atStake.Theirs.Concat(atStake.Shared))
        {
            streams[account.Id] = await session.Events.FetchForWriting<Operator>(account.Id, step.Cancellation);
        }

        var fresh = new AccountsAtStake([.. atStake.Theirs.Select(a => streams[a.Id].Aggregate!)], [.. atStake.Shared.Select(a => streams[a.Id].Aggregate!)]);
        var codes = atStake.Shared.Select(_ => Secrets.HashCode(Secrets.NewCode())).ToList();
        var decision = OffboardingDecider.DisableAccountsAndResetPortalPasswords(
            fresh, organization.Aggregate!, owners, codes, step.Offboarding.Authority, OffboardingStepContext.Actor, step.Now);
        foreach (var change in decision.Changes)
        {
            if (change.TargetKind == OffboardingTargets.Organization)
            {
                step.Apply(organization, change);
            }
            else
            {
                step.Apply(streams[change.TargetId], change);
            }
        }

        step.Keep(decision);
    }
}
