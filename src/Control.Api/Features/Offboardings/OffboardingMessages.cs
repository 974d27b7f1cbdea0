using Wolverine.Persistence.Sagas;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// Run step <paramref name="Step"/> (an <see cref="Control.Domain.Offboarding.OffboardingStep"/>'s number, 1-7; 8 = commit: wait for
/// receipts). A duplicate or a retry of a done step is ignored.
/// </summary>
public sealed record RunOffboardingStep([property: SagaIdentity] Guid OffboardingId, int Step);

/// <summary>The receipt watcher saw every receipt of the offboarding arrive (or its deadline pass, <paramref name="DeadlinePassed"/>).</summary>
public sealed record OffboardingReceiptsChecked([property: SagaIdentity] Guid OffboardingId, int Pending, bool DeadlinePassed);
