namespace Control.Api.Features.Offboardings;

/// <summary>
/// One client an offboarding changed, and the policy version that carries the change: the agent's signed receipt for that
/// version (or a later one) proves the change is enforced there.
/// </summary>
public sealed class OffboardingReceipt
{
    /// <summary>offboarding id + client id.</summary>
    public string Id { get; set; } = "";
    public Guid OffboardingId { get; set; }

    /// <summary>The organization (tenant), so the watcher can check receipts of every organization in one query.</summary>
    public string Organization { get; set; } = "";

    /// <summary>No receipt yet (indexed: the watcher looks only at these).</summary>
    public bool Pending { get; set; } = true;

    public DateTimeOffset DueBy { get; set; }
    public Guid ClientId { get; set; }
    public string Client { get; set; } = "";
    public long ExpectedVersion { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public DateTimeOffset? ReceivedAt { get; set; }
    public long? ReceivedVersion { get; set; }

    /// <summary>The agent's ECDSA P-256 signature over the receipt text (verifiable with the client's enrolment key).</summary>
    public string? Signature { get; set; }

    public static string IdOf(Guid offboardingId, Guid clientId) => $"{offboardingId:N}:{clientId:N}";
}

/// <summary>
/// A secret an offboarding generated and showed to no one (a new license key, a new unattended password), encrypted with
/// the data-protection key ring until an admin asks for it; each reveal is a <c>SecretRevealed</c> event.
/// </summary>
public sealed class SealedSecret
{
    /// <summary><see cref="Control.Domain.People.SecretKnowledge.KeyOf(Control.Domain.Common.SecretKind, Guid)"/>.</summary>
    public string Id { get; set; } = "";
    public string Protected { get; set; } = "";
    public Guid OffboardingId { get; set; }
    public DateTimeOffset SealedAt { get; set; }

    public static string Purpose(string id) => $"sealed-secret/{id}";

    /// <summary>Rotated since it was sealed: the sealed value opens nothing any more, so it is not revealed.</summary>
    public bool ReplacedSince(Control.Domain.People.SecretKnowledge? knowledge) => knowledge?.RotatedAt is { } rotated && rotated > SealedAt;
}

/// <summary>
/// The changes of one ACL batch that committed in a transaction of its own, beside the saga's (batches run side by side):
/// written with the changes, and folded into the offboarding's stream as <c>OffboardingStepProgressed</c> by the step's last
/// batch, which deletes it in the same transaction (until then <c>GET /offboardings/{id}</c> shows it with the step). A crash
/// in between loses nothing: the next attempt folds it.
/// </summary>
public sealed class OffboardingBatch
{
    public Guid Id { get; set; }
    public Guid OffboardingId { get; set; }
    public int Step { get; set; }
    public List<Control.Domain.Offboarding.OffboardingChange> Changes { get; set; } = [];
    public DateTimeOffset At { get; set; }
}
