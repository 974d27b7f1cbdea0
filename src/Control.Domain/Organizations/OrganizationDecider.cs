using Control.Domain.Common;

namespace Control.Domain.Organizations;

public sealed record CreateOrganization(Guid OrganizationId, string Slug, string Name);

public static class OrganizationDecider
{
    /// <param name="slugTaken">Whether another organization already holds the slug (read from the registry).</param>
    public static Decision Decide(CreateOrganization command, bool slugTaken, Actor actor, DateTimeOffset now)
    {
        if (!OrganizationRules.IsValidSlug(command.Slug))
        {
            return Decision.Refuse(RefusalKind.Invalid, "organization.slug_invalid",
                "The namespace must be 3-32 characters of lowercase letters, digits and inner hyphens.");
        }

        if (slugTaken)
        {
            return Decision.Refuse(RefusalKind.Conflict, "organization.slug_taken", $"The namespace '{command.Slug}' is already taken.");
        }

        return Decision.Accept(new OrganizationCreated(command.OrganizationId, command.Slug, command.Name.Trim(), actor, now));
    }
}
