using Control.Api.Infrastructure;
using Control.Domain.Common;
using Control.Domain.Offboarding;
using Marten;

namespace Control.Api.Features.Offboardings;

/// <summary>
/// How every change an offboarding makes is audited: by <c>system:offboarding</c>, for the HR reason, correlated to the
/// offboarding, whichever transaction (a step, a batch beside it, the saga's receipt bookkeeping) appends it.
/// </summary>
public static class OffboardingRecording
{
    public static readonly Actor Actor = Actor.System("offboarding");

    public static void RecordAs(IDocumentSession session, Offboarding offboarding)
    {
        session.CorrelationId = offboarding.Id.ToString();
        session.LastModifiedBy = Actor.Name;
        session.SetHeader(AuditMetadata.ReasonHeader, $"offboarding of {offboarding.PersonName} (requested by {offboarding.RequestedBy.Name}): {offboarding.Reason}");
        session.SetHeader("offboarding", offboarding.Id.ToString());
    }
}
