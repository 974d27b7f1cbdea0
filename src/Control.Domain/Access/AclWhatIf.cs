using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Organizations;
using Control.Domain.Sessions;

namespace Control.Domain.Access;

/// <summary>A proposed ACL change: entries to add and remove, and optionally the list switched on or off (a client only).</summary>
public sealed record AclProposal(IReadOnlyList<string> Add, IReadOnlyList<string> Remove, bool? Enable, bool AllowEveryone);

/// <summary>How a past session would have fared under the proposed ACL.</summary>
/// <param name="Refused">Admitted then, refused by the proposed ACL; otherwise denied then and admitted by it (other checks aside).</param>
public sealed record WhatIfVerdict(SessionSummary Session, bool Refused, string? ProposedRefusal);

/// <summary>
/// What a proposed ACL change would have done to past sessions, before anything is applied. The proposal goes through
/// the real deciders (the same validation and normalisation as the real edit) onto copies of the current state, and each
/// session's viewer alias is checked by <see cref="SessionAdmission.Admit"/> against the policy composed from that copy,
/// which is exactly what the agent does.
/// </summary>
public static class AclWhatIf
{
    /// <summary>The client's state after the proposal, or the deciders' refusal.</summary>
    public static (Client? Proposed, Refusal? Refusal) Propose(Client client, AclProposal proposal, Actor actor, DateTimeOffset now)
    {
        IEnumerable<ClientCommand> commands = [
            .. proposal.Remove.Select(e => new RemoveAclEntry(e)),
            .. proposal.Add.Select(e => new AddAclEntry(e, proposal.AllowEveryone)),
            .. proposal.Enable switch { true => [new EnableAcl()], false => [new DisableAcl()], null => Array.Empty<ClientCommand>() },
        ];
        foreach (var command in commands)
        {
            var decision = ClientDecider.Decide(command, client, actor, now);
            if (decision.Refusal is { } refusal)
            {
                return (null, refusal);
            }

            client = decision.Events.Aggregate(client, (state, e) => Client.Evolve(state, e)!);
        }

        return (client, null);
    }

    /// <summary>The organization's state after an organization-wide proposal (no on/off there), or the deciders' refusal.</summary>
    public static (Organization? Proposed, Refusal? Refusal) Propose(Organization organization, AclProposal proposal, Actor actor, DateTimeOffset now)
    {
        if (proposal.Enable is not null)
        {
            return (null, new Refusal(RefusalKind.Invalid, "acl.whatif_enable_org",
                "The organization-wide entries have no on/off switch: each client's ACL is switched on or off by itself."));
        }

        foreach (var entry in proposal.Remove)
        {
            if (Apply(OrganizationDecider.Decide(new RemoveOrganizationAclEntry(entry), organization, actor, now), ref organization) is { } refusal)
            {
                return (null, refusal);
            }
        }

        foreach (var entry in proposal.Add)
        {
            if (Apply(OrganizationDecider.Decide(new AddOrganizationAclEntry(entry, proposal.AllowEveryone), organization, actor, now), ref organization) is { } refusal)
            {
                return (null, refusal);
            }
        }

        return (organization, null);
    }

    /// <summary>
    /// The sessions the proposal would have refused (admitted then), and the denied ones it would have let past the ACL
    /// that the current ACL does not. A session without a known alias or outcome says nothing and is left out.
    /// </summary>
    public static IReadOnlyList<WhatIfVerdict> Judge(
        IEnumerable<SessionSummary> sessions, Func<Guid, (Client Client, Organization Organization)?> current,
        Func<Guid, (Client Client, Organization Organization)?> proposed, DateTimeOffset now)
    {
        var verdicts = new List<WhatIfVerdict>();
        foreach (var session in sessions.Where(s => s.ViewerAlias is not null).OrderBy(s => s.StartedAt))
        {
            if (proposed(session.ClientId) is not { } after || current(session.ClientId) is not { } before)
            {
                continue;
            }

            var refusalAfter = Refusal(after, session.ViewerAlias!, now);
            if (session.AuthenticatedAt is not null && refusalAfter is not null)
            {
                verdicts.Add(new WhatIfVerdict(session, true, refusalAfter));
            }
            else if (session.DeniedAt is not null && refusalAfter is null && Refusal(before, session.ViewerAlias!, now) is not null)
            {
                verdicts.Add(new WhatIfVerdict(session, false, null));
            }
        }

        return verdicts;
    }

    private static string? Refusal((Client Client, Organization Organization) state, string alias, DateTimeOffset now)
    {
        var organization = state.Organization;
        var context = new OrganizationPolicyContext(
            organization.Slug, Licensed: true, organization.PolicyRevision, organization.AclEntries, null, [], organization.SessionSettings);
        return SessionAdmission.Admit(PolicyComposer.Compose(state.Client, context, null, now), alias);
    }

    private static Refusal? Apply(Decision decision, ref Organization organization)
    {
        if (decision.Refusal is { } refusal)
        {
            return refusal;
        }

        organization = decision.Events.Aggregate(organization, (state, e) => Organization.Evolve(state, e)!);
        return null;
    }
}
