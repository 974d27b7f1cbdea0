using Control.Domain.Access;
using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Operators;
using Control.Domain.Organizations;
using Control.Domain.People;
using Control.Domain.Sessions;
using ClientSettings = Control.Domain.Clients;

namespace Control.Domain.Tests.Access;

/// <summary>The replay behind the access review as of a time, the ACL diff list and the ACL what-if, as pure functions.</summary>
public class AccessHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid OrganizationId = Guid.NewGuid();
    private static readonly Guid ClientId = Guid.NewGuid();
    private static readonly Guid BobId = Guid.NewGuid();
    private static readonly Guid PersonId = Guid.NewGuid();
    private static readonly Actor Owner = Actor.Operator(Guid.NewGuid(), "owner", "acme");

    private static readonly object[] OrganizationFounded = [new OrganizationCreated(OrganizationId, "acme", "Acme", Owner, T0)];

    private static RecordedEvent[] Log(params (StreamKind Kind, Guid Stream, object Data)[] events) =>
        events.Select((e, i) => new RecordedEvent(i + 1, T0.AddMinutes(i), e.Stream, e.Kind, e.Data)).ToArray();

    private static RecordedEvent[] History() => Log(
        (StreamKind.Organization, OrganizationId, OrganizationFounded[0]),
        (StreamKind.Operator, BobId, new OperatorRegistered(BobId, OrganizationId, "acme", "bob", OperatorRole.Technician, "hash", Owner, T0)),
        (StreamKind.Person, PersonId, new PersonAdded(PersonId, OrganizationId, "Bob", null, Owner, T0)),
        (StreamKind.Person, PersonId, new PersonOperatorLinked(PersonId, BobId, "bob@acme", Owner, T0)),
        (StreamKind.Client, ClientId, new ClientEnrolled(ClientId, OrganizationId, "acme", 123456789, "key", "fp", "cred", "door@acme", null, "door", Owner, T0)),
        (StreamKind.Client, ClientId, new AclEnabled(ClientId, Owner, T0)),
        (StreamKind.Client, ClientId, new AclEntryAdded(ClientId, "bob@acme", Owner, T0)),
        (StreamKind.Other, Guid.NewGuid(), new RememberTokenIssued(Guid.NewGuid(), ClientId, "bob@acme", "tok1", "laptop", 0, T0)),
        (StreamKind.Organization, OrganizationId, new OrganizationAclEntryAdded(OrganizationId, "*-support@acme", Owner, T0)),
        (StreamKind.Client, ClientId, new AclEntryRemoved(ClientId, "bob@acme", Owner, T0)),
        (StreamKind.Operator, BobId, new OperatorDisabled(BobId, Owner, T0)));

    private static List<string> Reach(IEnumerable<RecordedEvent> prefix)
    {
        var history = AccessHistory.Replay(prefix);
        var review = history.Review();
        return review is null ? [] : review.ReachableBy(history.People.Single()).SelectMany(p => p.Methods.Select(m => $"{p.Client}: {p.AdmittedBy}: {m}")).ToList();
    }

    [Fact]
    public void Replay_of_a_prefix_answers_as_the_review_did_at_that_point()
    {
        var log = History();
        Assert.Null(AccessHistory.Replay([]).Review());
        Assert.Equal(["door@acme: access control list off: attended (someone at the client accepts)"], Reach(log.Take(5)));
        Assert.Empty(Reach(log.Take(6)));
        Assert.Equal(["door@acme: ACL entry bob@acme: attended (someone at the client accepts)"], Reach(log.Take(7)));
        Assert.Equal(
            ["door@acme: ACL entry bob@acme: remember-token tok1", "door@acme: ACL entry bob@acme: attended (someone at the client accepts)"],
            Reach(log.Take(8)));
        Assert.Empty(Reach(log.Take(10)));
        Assert.Empty(Reach(log));

        // The order events are handed over in does not matter: the log's sequence does.
        Assert.Equal(Reach(log.Take(8)), Reach(log.Take(8).Reverse()));
    }

    [Fact]
    public void AclHistory_is_the_difference_each_event_made_including_organization_wide_entries_while_enrolled()
    {
        var log = Log(
            (StreamKind.Organization, OrganizationId, OrganizationFounded[0]),
            (StreamKind.Organization, OrganizationId, new OrganizationAclEntryAdded(OrganizationId, "before@acme", Owner, T0)),
            (StreamKind.Client, ClientId, new ClientEnrolled(ClientId, OrganizationId, "acme", 123456789, "key", "fp", "cred", "door@acme", null, "door", Owner, T0)),
            (StreamKind.Client, ClientId, new ClientPresetApplied(ClientId, new ClientPreset(true, ["ops@acme"], false, ClientSettings.SessionPermissions.All), "organization-defaults", T0)),
            (StreamKind.Client, ClientId, new AclEntryAdded(ClientId, "bob@acme", Owner, T0)),
            (StreamKind.Client, ClientId, new UnattendedAccessEnabled(ClientId, Owner, T0)),
            (StreamKind.Organization, OrganizationId, new OrganizationAclEntryAdded(OrganizationId, "*-support@acme", Owner, T0)),
            (StreamKind.Client, ClientId, new AclEntryRemoved(ClientId, "ops@acme", Owner, T0)),
            (StreamKind.Client, ClientId, new AclDisabled(ClientId, Owner, T0)),
            (StreamKind.Client, ClientId, new ClientRemoved(ClientId, Owner, T0)),
            (StreamKind.Organization, OrganizationId, new OrganizationAclEntryRemoved(OrganizationId, "*-support@acme", Owner, T0)));

        var rows = AclHistory.Of(ClientId, log)
            .Select(c => $"{c.Event.Sequence} {(c.OrganizationWide ? "org " : "")}{c.AclEnabled}|+{string.Join(",", c.Added)}|-{string.Join(",", c.Removed)}").ToList();
        Assert.Equal(["4 True|+ops@acme|-", "5 |+bob@acme|-", "7 org |+*-support@acme|-", "8 |+|-ops@acme", "9 False|+|-"], rows);
    }

    [Fact]
    public void WhatIf_lists_sessions_an_entry_the_proposal_removes_admitted_and_validates_like_the_real_edit()
    {
        var organization = new Organization(OrganizationId, "acme", "Acme", T0) { AclEntries = ["*-support@acme"] };
        var client = Client.Evolve(null, new ClientEnrolled(ClientId, OrganizationId, "acme", 123456789, "key", "fp", "cred", "door@acme", null, "door", Owner, T0))!
            with { AclEnabled = true, AclEntries = ["bob@acme", "alice@acme"] };
        SessionSummary Session(string alias, bool admitted) => new()
        {
            Id = Guid.NewGuid(), ClientId = ClientId, StartedAt = T0, ViewerAlias = alias,
            AuthenticatedAt = admitted ? T0 : null, DeniedAt = admitted ? null : T0, DeniedReason = admitted ? null : $"{alias} is not on the access control list",
        };
        var sessions = new[] { Session("bob@acme", true), Session("alice@acme", true), Session("eve-support@acme", true), Session("carol@acme", false) };

        var (proposed, refusal) = AclWhatIf.Propose(client, new AclProposal(["carol@acme"], ["BOB@acme "], null, false), Owner, T0);
        Assert.Null(refusal);
        var verdicts = AclWhatIf.Judge(sessions, _ => (client, organization), _ => (proposed!, organization), T0);
        Assert.Equal(["bob@acme refused: bob@acme is not on the access control list", "carol@acme admitted"],
            verdicts.Select(v => $"{v.Session.ViewerAlias} {(v.Refused ? "refused: " + v.ProposedRefusal : "admitted")}").ToArray());

        // The organization-wide wildcard's removal refuses the support session; "*" needs the same confirmation as the real edit.
        var (withoutSupport, _) = AclWhatIf.Propose(organization, new AclProposal([], ["*-support@acme"], null, false), Owner, T0);
        Assert.Equal("eve-support@acme", Assert.Single(AclWhatIf.Judge(sessions, _ => (client, organization), _ => (client, withoutSupport!), T0)).Session.ViewerAlias);
        Assert.Equal("acl.everyone_not_confirmed", AclWhatIf.Propose(client, new AclProposal(["*"], [], null, false), Owner, T0).Refusal?.Code);
        Assert.Equal("acl.entry_invalid", AclWhatIf.Propose(organization, new AclProposal(["no namespace"], [], null, false), Owner, T0).Refusal?.Code);
        Assert.Equal("acl.whatif_enable_org", AclWhatIf.Propose(organization, new AclProposal([], [], false, false), Owner, T0).Refusal?.Code);
    }
}
