using Control.Domain.Organizations;

namespace Control.Domain.Offboarding;

/// <summary>
/// Which agents must acknowledge an offboarding's changes once they are all committed: every client's when an
/// organization-wide change reaches every policy (a certificate revocation, an organization-wide ACL entry removed), and
/// each client it changed; and when each change was made, since the receipt times are measured from it.
/// </summary>
public sealed record OffboardingReach(
    bool EveryClient, IReadOnlySet<Guid> ChangedClients, IReadOnlyDictionary<Guid, DateTimeOffset> ClientChangedAt, DateTimeOffset? OrganizationChangedAt)
{
    public static OffboardingReach Of(Offboarding offboarding)
    {
        var changed = offboarding.Steps.SelectMany(s => s.Changes).ToList();
        var clientChangedAt = new Dictionary<Guid, DateTimeOffset>();
        DateTimeOffset? organizationChangedAt = null;
        foreach (var step in offboarding.Steps.Where(s => s.CompletedAt is not null))
        {
            foreach (var change in step.Changes)
            {
                if (change.TargetKind == OffboardingTargets.Organization)
                {
                    organizationChangedAt = change.At ?? step.CompletedAt;
                }
                else if (change.TargetKind == OffboardingTargets.Client)
                {
                    clientChangedAt[change.TargetId] = change.At ?? step.CompletedAt!.Value;
                }
            }
        }

        return new OffboardingReach(
            changed.Any(c => c.TargetKind == OffboardingTargets.Organization && c.Event is nameof(ViewerCertificatesRevoked) or nameof(OrganizationAclEntryRemoved)),
            changed.Where(c => c.TargetKind == OffboardingTargets.Client).Select(c => c.TargetId).ToHashSet(),
            clientChangedAt,
            organizationChangedAt);
    }

    /// <summary>When the client's change was made: the last step (or batch of one) that changed it, or the last that changed the organization.</summary>
    public DateTimeOffset? ChangedAt(Guid client) =>
        (ClientChangedAt.TryGetValue(client, out var at) ? at : (DateTimeOffset?)null, OrganizationChangedAt) switch
        {
            (null, var b) => b,
            (var a, null) => a,
            (var a, var b) => a > b ? a : b,
        };
}
