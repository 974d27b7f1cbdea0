using Control.Domain.Common;
using Control.Domain.Offboarding;
using Control.Domain.Operators;
using Control.Domain.People;

namespace Control.Domain.Tests.Offboarding;

/// <summary>Given an offboarding's events, when approval is asked for or given, then events or a refusal (the two-person rule).</summary>
public class OffboardingApprovalTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Actor Hannah = Actor.Operator(Guid.CreateVersion7(), "hannah", "acme");
    private static readonly Actor Olga = Actor.Operator(Guid.CreateVersion7(), "olga", "acme");
    private static readonly Actor Starter = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");

    private static Domain.Offboarding.Offboarding Given(params object[] events) =>
        new object[] { new OffboardingRequested(Id, Guid.CreateVersion7(), "Sam", OffboardingMode.Exposure, "left", null, TimeSpan.FromMinutes(10), Starter, T0, OperatorRole.Owner) }
            .Concat(events).Aggregate((Domain.Offboarding.Offboarding?)null, Domain.Offboarding.Offboarding.Evolve)!;

    private static readonly OffboardingApprovalRequested Waiting = new(Id, ["sam@acme"], T0);

    public static TheoryData<string, Domain.Offboarding.Offboarding, Func<Domain.Offboarding.Offboarding, Decision>, Type?, string?> Cases => new()
    {
        { "privileged accounts: it waits", Given(), s => OffboardingApproval.Decide(new RequestOffboardingApproval(["sam@acme"]), s, T0), typeof(OffboardingApprovalRequested), null },
        { "none: it runs", Given(), s => OffboardingApproval.Decide(new RequestOffboardingApproval([]), s, T0), null, null },
        { "asked again for the same accounts: nothing new", Given(Waiting), s => OffboardingApproval.Decide(new RequestOffboardingApproval(["sam@acme"]), s, T0), null, null },
        { "approved for them: it runs", Given(Waiting, new OffboardingApproved(Id, Olga, T0)), s => OffboardingApproval.Decide(new RequestOffboardingApproval(["sam@acme"]), s, T0), null, null },
        { "a privileged account linked since: it waits again", Given(Waiting, new OffboardingApproved(Id, Olga, T0)), s => OffboardingApproval.Decide(new RequestOffboardingApproval(["sam@acme", "zoe@acme"]), s, T0), typeof(OffboardingApprovalRequested), null },
        { "another owner approves", Given(Waiting), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.Owner, Olga, T0), typeof(OffboardingApproved), null },
        { "the starter cannot approve their own", Given(Waiting), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.Owner, Starter, T0), null, "offboarding.own_approval" },
        { "hr cannot approve", Given(Waiting), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.Hr, Hannah, T0), null, "offboarding.approver_not_owner" },
        { "a security-admin cannot approve", Given(Waiting), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.SecurityAdmin, Hannah, T0), null, "offboarding.approver_not_owner" },
        { "nothing waits: nothing to approve", Given(), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.Owner, Olga, T0), null, "offboarding.not_awaiting_approval" },
        { "a cancelled one is not approved", Given(Waiting, new OffboardingCancelled(Id, Hannah, T0)), s => OffboardingApproval.Decide(new ApproveOffboarding(), s, OperatorRole.Owner, Olga, T0), null, "offboarding.not_awaiting_approval" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Approval(string scenario, Domain.Offboarding.Offboarding given, Func<Domain.Offboarding.Offboarding, Decision> when, Type? thenEvent, string? thenRefusal)
    {
        var decision = when(given);

        Assert.True(thenRefusal == decision.Refusal?.Code, $"{scenario}: refusal {decision.Refusal?.Code}");
        Assert.Equal(thenEvent, decision.Events.SingleOrDefault()?.GetType());
    }

    [Fact]
    public void Waiting_SaysWhyAndFor_WhichAccounts()
    {
        var waiting = Given(Waiting);

        Assert.Equal("awaiting-approval", Domain.Offboarding.Offboarding.StatusName(waiting.Status));
        Assert.Equal("waiting for approval by another owner than alice@acme: the person has privileged accounts (sam@acme)", OffboardingApproval.Waiting(waiting));
        Assert.Null(OffboardingApproval.Waiting(Given(Waiting, new OffboardingApproved(Id, Olga, T0))));
    }

    [Fact]
    public void PrivilegedAccounts_AreLinkedOrNamedOwnersAndSecurityAdminsNotDisabled()
    {
        Operator Account(string name, OperatorRole role, bool disabled = false)
        {
            var id = Guid.CreateVersion7();
            var account = Operator.Start(new OperatorRegistered(id, Guid.Empty, "acme", name, role, "h", Starter, T0));
            return disabled ? account.When(new OperatorDisabled(id, Starter, T0)) : account;
        }

        var sam = Account("sam", OperatorRole.SecurityAdmin);
        var olga = Account("olga", OperatorRole.Owner);
        var tina = Account("tina", OperatorRole.Technician);
        var gone = Account("gone", OperatorRole.Owner, disabled: true);
        var other = Account("other", OperatorRole.Owner);
        var person = new Person
        {
            Id = Guid.CreateVersion7(), OrganizationId = Guid.Empty, Name = "Sam",
            Operators = [new LinkedOperator(sam.Id, "sam@acme"), new LinkedOperator(tina.Id, "tina@acme"), new LinkedOperator(gone.Id, "gone@acme")],
            Identities = ["olga@acme"],
        };

        Assert.Equal(["olga@acme", "sam@acme"], OffboardingApproval.PrivilegedAccounts(person, [sam, olga, tina, gone, other]));
    }
}
