using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Marten;

namespace Control.Api.Features.Operators;

/// <summary>
/// When an operator loses their account (disabled) or a credential (password or second factor reset by an admin, or
/// their own password change), the
/// viewer certificates they hold die with it, in the same transaction: one revocation on the organization's stream, which
/// wakes every client to fetch a policy listing the serials.
/// </summary>
public static class ViewerCertificateRevocation
{
    public static async Task Append(
        IDocumentSession session, Operator target, Decision accountChange, Actor actor, DateTimeOffset now, CancellationToken cancellation)
    {
        // A refused or no-op change alters nothing; certificates from an earlier change were revoked by it.
        if (accountChange.IsRefused || accountChange.Events.Count == 0 || !target.ViewerCertificates.Any(c => c.NotAfter > now))
        {
            return;
        }

        var organization = await session.Events.FetchForWriting<Organization>(target.OrganizationId, cancellation);
        if (organization.Aggregate is null)
        {
            return;
        }

        var revocation = OperatorDecider.Decide(new RevokeViewerCertificates(), target, organization.Aggregate, actor, now);
        organization.AppendMany(revocation.Events.ToArray());
    }
}
