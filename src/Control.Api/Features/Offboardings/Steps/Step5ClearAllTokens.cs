using Control.Domain.Offboarding;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 5 (<see cref="OffboardingStep.ClearAllTokens"/>): every client where they hold a remember-token clears
/// all its tokens, so that a saved login opens nothing without the password.
/// </summary>
public static class Step5ClearAllTokens
{
    public static async Task Run(OffboardingStepContext step)
    {
        var facts = await step.ReadFacts(exposure => [.. exposure.Select(k => k.SubjectId)]);
        step.Apply(OffboardingDecider.ClearAllTokens(facts, OffboardingStepContext.Actor, step.Now));
    }
}
