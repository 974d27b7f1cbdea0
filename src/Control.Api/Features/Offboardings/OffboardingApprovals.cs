using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.People;
using Marten;

namespace Control.Api.Features.Offboardings;

/// <summary>Asks for the two-person rule's approval when the person has privileged accounts (at the request, and again before the first step).</summary>
public static class OffboardingApprovals
{
    public static async Task<Decision> Request(IQuerySession session, Offboarding offboarding, Person person, DateTimeOffset now, CancellationToken cancellation)
    {
        var operators = await session.Query<Operator>().ToListAsync(cancellation);
        return OffboardingApproval.Decide(new RequestOffboardingApproval(OffboardingApproval.PrivilegedAccounts(person, operators)), offboarding, now);
    }
}
