using Control.Domain.Offboarding;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 1 (<see cref="OffboardingStep.RemoveTheirClients"/>): the person's own clients are removed from the
/// organization (the reference page's "remove their client in the Clients tab").
/// </summary>
public static class Step1RemoveTheirClients
{
    public static async Task Run(OffboardingStepContext step)
    {
        var facts = await step.ReadFacts(_ => [.. step.Person.Clients.Select(c => c.ClientId)]);
        step.Apply(OffboardingDecider.RemoveTheirClients(facts, OffboardingStepContext.Actor, step.Now));
    }
}
