using Control.Domain.Common;
using Control.Domain.Operators;

namespace Control.Domain.Tests.Operators;

/// <summary>Given an account, when an offboarding or an admin changes it, then events or a refusal: the last owner and the starter's authority.</summary>
public class OperatorAuthorityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid TargetId = Guid.CreateVersion7();
    private static readonly Actor Alice = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");
    private static readonly Actor System = Actor.System("offboarding");

    private static Operator Account(OperatorRole role, params object[] more) =>
        new object[] { new OperatorRegistered(TargetId, Guid.CreateVersion7(), "acme", "bob", role, "hash", Alice, T0) }.Concat(more)
            .Aggregate((Operator?)null, Operator.Evolve)!;

    public static TheoryData<string, Operator, Func<Operator, Decision>, Type?, string?> Cases => new()
    {
        { "the last active owner is not disabled", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(1), s, OperatorRole.Owner, Alice, T0), null, "operator.last_owner" },
        { "nor is their password reset", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new ResetPassword("h", T0, 1), s, OperatorRole.Owner, Alice, T0), null, "operator.last_owner" },
        { "an owner beside another is", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.Owner, Alice, T0), typeof(OperatorDisabled), null },
        { "a technician when one owner is left is", Account(OperatorRole.Technician), s => OperatorDecider.Decide(new DisableOperator(1), s, OperatorRole.Owner, Alice, T0), typeof(OperatorDisabled), null },
        { "an owner disabled already: nothing to do", Account(OperatorRole.Owner, new OperatorDisabled(TargetId, Alice, T0)), s => OperatorDecider.Decide(new DisableOperator(1), s, OperatorRole.Owner, Alice, T0), null, null },
        { "an hr offboarding disables a technician", Account(OperatorRole.Technician), s => OperatorDecider.Decide(new DisableOperator(2), s, new OffboardingAuthority(OperatorRole.Hr, Alice), System, T0), typeof(OperatorDisabled), null },
        { "an hr offboarding resets a shared auditor account", Account(OperatorRole.Auditor), s => OperatorDecider.Decide(new ResetPassword("h", T0, 2), s, new OffboardingAuthority(OperatorRole.Hr, Alice), System, T0), typeof(OperatorPasswordReset), null },
        { "an hr offboarding never disables a security-admin", Account(OperatorRole.SecurityAdmin), s => OperatorDecider.Decide(new DisableOperator(2), s, new OffboardingAuthority(OperatorRole.Hr, Alice), System, T0), null, "offboarding.not_authorized" },
        { "a security-admin's offboarding never disables an owner", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(3), s, new OffboardingAuthority(OperatorRole.SecurityAdmin, Alice), System, T0), null, "offboarding.not_authorized" },
        { "nor resets an owner's password", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new ResetPassword("h", T0, 3), s, new OffboardingAuthority(OperatorRole.SecurityAdmin, Alice), System, T0), null, "offboarding.not_authorized" },
        { "an owner's offboarding disables another owner", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(2), s, new OffboardingAuthority(OperatorRole.Owner, Alice), System, T0), typeof(OperatorDisabled), null },
        { "but not the last active one", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(1), s, new OffboardingAuthority(OperatorRole.Owner, Alice), System, T0), null, "operator.last_owner" },
        { "nor its starter's own account", Account(OperatorRole.Owner), s => OperatorDecider.Decide(new DisableOperator(3), s, new OffboardingAuthority(OperatorRole.Owner, Actor.Operator(TargetId, "bob", "acme")), System, T0), null, "operator.self" },
        { "an offboarding without a recorded role changes no account", Account(OperatorRole.Technician), s => OperatorDecider.Decide(new DisableOperator(2), s, new OffboardingAuthority(null, Alice), System, T0), null, "offboarding.not_authorized" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Account_changes(string scenario, Operator given, Func<Operator, Decision> when, Type? thenEvent, string? thenRefusal)
    {
        var decision = when(given);

        Assert.True(thenRefusal == decision.Refusal?.Code, $"{scenario}: refusal {decision.Refusal?.Code}");
        Assert.Equal(thenEvent, decision.Events.SingleOrDefault()?.GetType());
    }

    [Theory]
    [InlineData(OperatorRole.Technician, OperatorRole.Owner, false)]
    [InlineData(OperatorRole.Owner, OperatorRole.SecurityAdmin, true)]
    [InlineData(OperatorRole.Technician, OperatorRole.Hr, true)]
    [InlineData(OperatorRole.Hr, OperatorRole.Hr, true)]
    [InlineData(OperatorRole.Technician, OperatorRole.Auditor, true)]
    public void ManageRefusal_IsTheDisableRuleForLinkingAnAccount(OperatorRole target, OperatorRole actor, bool refused)
    {
        var account = Account(target);

        Assert.Equal(refused, OperatorDecider.ManageRefusal(account, actor, Alice) is not null);
        Assert.Equal(refused, OperatorDecider.Decide(new DisableOperator(2), account, actor, Alice, T0).IsRefused);
    }
}
