using Control.Api.Features.Clients;
using Control.Api.Features.Offboardings.Steps;
using Control.Api.Hosting;
using Control.Api.Infrastructure;
using Control.Domain.Clients;
using Control.Domain.Offboarding;
using Control.Domain.People;
using Marten;
using Microsoft.Extensions.Options;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// Runs one step of an offboarding (its file under <c>Steps/</c>) inside the caller's transaction: the step's changes,
/// decided by <see cref="OffboardingDecider"/>, and its completion with every change it made are appended together, and
/// the caller commits it all at once, so a step is either wholly done and recorded, or not at all.
/// </summary>
public sealed class OffboardingStepRunner(SecretProtector protector, GeneratedPasswords passwords, TimeProvider clock, IOptions<ControlOptions> options)
{
    private readonly Step6ChangeUnattendedAccessPasswords _passwords = new(passwords);
    private readonly Step7RemoveFromAccessControlLists _accessControlLists = new(new AclBatches(clock, options));

    /// <summary>
    /// Does the step, or the ACL step's next batch of at most <paramref name="batchSize"/> clients (or, with
    /// <paramref name="parallel"/> above 1, rounds of that many batches side by side); true when the step is done.
    /// </summary>
    public async Task<bool> Run(
        IDocumentSession session, Offboarding offboarding, OffboardingStep step, DateTimeOffset now, int batchSize, int parallel, CancellationToken cancellation)
    {
        OffboardingRecording.RecordAs(session, offboarding);
        // The clients a step loads to decide are the ones its events change: their inline projection takes them from the
        // session's identity map instead of reading them again (UseIdentityMapForAggregates).
        session.UseIdentityMapFor<Client>();
        var person = await session.LoadAsync<Person>(offboarding.PersonId, cancellation)
            ?? throw new InvalidOperationException($"The person {offboarding.PersonId} of offboarding {offboarding.Id} is gone.");
        var context = new OffboardingStepContext(session, protector, offboarding, person, now, cancellation);
        if (step == OffboardingStep.RemoveFromAccessControlLists)
        {
            if (!await _accessControlLists.Run(context, batchSize, parallel))
            {
                return false;
            }
        }
        else
        {
            await (step switch
            {
                OffboardingStep.RemoveTheirClients => Step1RemoveTheirClients.Run(context),
                OffboardingStep.DisableAccountsAndResetPortalPasswords => Step2DisableAccountsAndResetPortalPasswords.Run(context),
                OffboardingStep.ResetLicenseKey => Step3ResetLicenseKey.Run(context),
                OffboardingStep.MakeCustomClientLinksPrivate => Step4MakeCustomClientLinksPrivate.Run(context),
                OffboardingStep.ClearAllTokens => Step5ClearAllTokens.Run(context),
                OffboardingStep.ChangeUnattendedAccessPasswords => _passwords.Run(context),
                _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Offboardings have seven steps."),
            });
        }

        context.Complete(step);
        return true;
    }
}
