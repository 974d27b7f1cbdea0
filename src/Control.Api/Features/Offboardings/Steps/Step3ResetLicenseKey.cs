using Control.Api.Features.Organizations;
using Control.Domain.Offboarding;
using Control.Domain.Organizations;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 3 (<see cref="OffboardingStep.ResetLicenseKey"/>): the license key is reset if they knew it (or in
/// full mode); the new key is sealed, shown to no one until an admin asks.
/// </summary>
public static class Step3ResetLicenseKey
{
    public static async Task Run(OffboardingStepContext step)
    {
        var facts = await step.ReadFacts(_ => []);
        var decision = OffboardingDecider.ResetLicenseKey(
            facts, RegistrationTokens.New(RegistrationTokenKind.LicenseKey, facts.Organization.Slug), OffboardingStepContext.Actor, step.Now);
        foreach (var change in decision.Changes)
        {
            step.Apply(await step.Session.Events.FetchForWriting<Organization>(change.TargetId, step.Cancellation), change);
        }

        step.Keep(decision);
    }
}
