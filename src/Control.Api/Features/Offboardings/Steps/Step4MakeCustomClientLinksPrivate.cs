using Control.Api.Features.Organizations;
using Control.Domain.Common;
using Control.Domain.CustomClients;
using Control.Domain.Offboarding;
using JasperFx.Events;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 4 (<see cref="OffboardingStep.MakeCustomClientLinksPrivate"/>): the custom-client links they knew (in
/// full mode, every public one) are made private and rotated, so that the old link registers nothing any more.
/// </summary>
public static class Step4MakeCustomClientLinksPrivate
{
    public static async Task Run(OffboardingStepContext step)
    {
        var facts = await step.ReadFacts(_ => []);
        var streams = new Dictionary<Guid, IEventStream<CustomClient>>();
        foreach (var target in OffboardingDecider.LinksToRotate(facts))
        {
            streams[target.Id] = await step.Session.Events.FetchForWriting<CustomClient>(target.Id, step.Cancellation);
        }

        // The new links are shown to no one: only their hashes are kept.
        var tokens = streams.Values.Select(_ => Secrets.HashToken(RegistrationTokens.New(RegistrationTokenKind.CustomClientLink, step.Session.TenantId))).ToList();
        var decision = OffboardingDecider.MakeCustomClientLinksPrivate([.. streams.Values.Select(s => s.Aggregate!)], tokens, OffboardingStepContext.Actor, step.Now);
        foreach (var change in decision.Changes)
        {
            step.Apply(streams[change.TargetId], change);
        }

        step.Keep(decision);
    }
}
