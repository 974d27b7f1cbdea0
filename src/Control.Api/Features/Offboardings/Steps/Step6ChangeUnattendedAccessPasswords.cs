using Control.Api.Features.Clients;
using Control.Domain.Offboarding;

namespace Control.Api.Features.Offboardings.Steps;

/// <summary>
/// Offboarding step 6 (<see cref="OffboardingStep.ChangeUnattendedAccessPasswords"/>): the unattended access passwords they
/// know are changed (in full mode, those of every client they could reach); each new password is sealed.
/// </summary>
public sealed class Step6ChangeUnattendedAccessPasswords(GeneratedPasswords passwords)
{
    public async Task Run(OffboardingStepContext step)
    {
        // A full rotation looks at every client; otherwise only the ones whose secrets they know are read.
        var facts = await step.ReadFacts(exposure => step.Offboarding.Mode == OffboardingMode.Full ? null : [.. exposure.Select(k => k.SubjectId)]);
        var clients = OffboardingDecider.PasswordsToChange(facts);
        // PBKDF2 per password dominates a mass rotation: the pool's were derived ahead of need, the rest on every core now.
        var generated = passwords.Take(clients.Count).Select(p => (p.Password, p.Verifier)).ToList();
        step.Apply(OffboardingDecider.ChangeUnattendedAccessPasswords(clients, generated, OffboardingStepContext.Actor, step.Now));
    }
}
