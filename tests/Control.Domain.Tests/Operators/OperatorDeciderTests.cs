using Control.Domain.Common;
using Control.Domain.Operators;
using OtpNet;

namespace Control.Domain.Tests.Operators;

/// <summary>Given events, when a command, then events or a refusal.</summary>
public class OperatorDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid OrgId = Guid.CreateVersion7();
    private static readonly Guid OwnerId = Guid.CreateVersion7();
    private static readonly Guid TargetId = Guid.CreateVersion7();
    private static readonly Actor Owner = Actor.Operator(OwnerId, "alice", "acme");
    private static readonly Actor Target = Actor.Operator(TargetId, "bob", "acme");
    private static readonly byte[] Seed = KeyGeneration.GenerateRandomKey(20);

    private static Operator Given(params object[] events) => events.Aggregate((Operator?)null, Operator.Evolve)!;

    private static OperatorRegistered Registered(OperatorRole role = OperatorRole.Technician) =>
        new(TargetId, OrgId, "acme", "bob", role, "hash", Owner, T0);

    private static string CodeAt(DateTimeOffset at) => new Totp(Seed).ComputeTotp(at.UtcDateTime);

    private static object[] WithTwoFactor() =>
    [
        Registered(),
        new TwoFactorEnrollmentStarted(TargetId, "protected", Target, T0),
        new TwoFactorEnrolled(TargetId, 1, [Secrets.HashCode("AAAA-BBBB-CCCC-DDDD"), Secrets.HashCode("EEEE-FFFF-GGGG-HHHH")], Target, T0),
    ];

    public static TheoryData<string, object[], Func<Operator, Decision>, Type?, string?> AdminActions => new()
    {
        { "disable an active operator", [Registered()], s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.Owner, Owner, T0), typeof(OperatorDisabled), null },
        { "disable twice is a no-op", [Registered(), new OperatorDisabled(TargetId, Owner, T0)], s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.Owner, Owner, T0), null, null },
        { "enable a disabled operator", [Registered(), new OperatorDisabled(TargetId, Owner, T0)], s => OperatorDecider.Decide(new EnableOperator(), s, OperatorRole.SecurityAdmin, Owner, T0), typeof(OperatorEnabled), null },
        { "enable an active operator is a no-op", [Registered()], s => OperatorDecider.Decide(new EnableOperator(), s, OperatorRole.Owner, Owner, T0), null, null },
        { "security-admin cannot disable an owner", [Registered(OperatorRole.Owner)], s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.SecurityAdmin, Owner, T0), null, "operator.not_manageable" },
        { "auditor cannot disable anyone", [Registered()], s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.Auditor, Owner, T0), null, "operator.not_manageable" },
        { "nobody disables themselves", [Registered(OperatorRole.Owner)], s => OperatorDecider.Decide(new DisableOperator(2), s, OperatorRole.Owner, Target, T0), null, "operator.self" },
        { "reset password", [Registered()], s => OperatorDecider.Decide(new ResetPassword("codehash", T0.AddDays(1), 2), s, OperatorRole.Owner, Owner, T0), typeof(OperatorPasswordReset), null },
        { "reset 2FA of an enrolled operator", WithTwoFactor(), s => OperatorDecider.Decide(new ResetTwoFactor(), s, OperatorRole.SecurityAdmin, Owner, T0), typeof(TwoFactorReset), null },
        { "reset 2FA without 2FA is a no-op", [Registered()], s => OperatorDecider.Decide(new ResetTwoFactor(), s, OperatorRole.Owner, Owner, T0), null, null },
        { "enrol while enrolled is refused", WithTwoFactor(), s => OperatorDecider.Decide(new StartTwoFactorEnrollment("p"), s, Target, T0), null, "two_factor.already_enabled" },
        { "confirm without enrolment is refused", [Registered()], s => OperatorDecider.Decide(new ConfirmTwoFactor(Seed, "123456", [], "203.0.113.7"), s, Target, T0), null, "two_factor.not_started" },
        { "sign out everywhere", [Registered()], s => OperatorDecider.Decide(new SignOutEverywhere(), s, Target, T0), typeof(OperatorSignedOutEverywhere), null },
        { "nobody signs another out everywhere", [Registered()], s => OperatorDecider.Decide(new SignOutEverywhere(), s, Owner, T0), null, "operator.not_self" },
        { "a disabled account has nothing to sign out", [Registered(), new OperatorDisabled(TargetId, Owner, T0)], s => OperatorDecider.Decide(new SignOutEverywhere(), s, Target, T0), null, null },
        { "change password needs the current one", [Registered()], s => OperatorDecider.Decide(new ChangePassword(false, "new"), s, Target, T0), null, "password.current_incorrect" },
    };

    [Theory]
    [InlineData(OperatorRole.Owner, OperatorRole.Owner, true)]
    [InlineData(OperatorRole.SecurityAdmin, OperatorRole.Owner, false)]
    [InlineData(OperatorRole.SecurityAdmin, OperatorRole.Technician, true)]
    [InlineData(OperatorRole.SecurityAdmin, OperatorRole.SecurityAdmin, true)]
    [InlineData(OperatorRole.Auditor, OperatorRole.Technician, false)]
    public void MayManage_AnswersAsTheDisableDecisionDoes(OperatorRole actorRole, OperatorRole targetRole, bool expected)
    {
        var target = Given(Registered(targetRole));

        Assert.Equal(expected, OperatorDecider.MayManage(target, actorRole, Owner));
        Assert.Equal(expected, OperatorDecider.Decide(new DisableOperator(2), target, actorRole, Owner, T0).Refusal is null);
        Assert.False(OperatorDecider.MayManage(target, OperatorRole.Owner, Target));
    }

    [Fact]
    public void GrantableRoles_AreTheRolesAnInvitationIsAcceptedFor()
    {
        Assert.Equal(["owner", "security-admin", "auditor", "hr", "technician"], OperatorDecider.GrantableRoles(OperatorRole.Owner));
        Assert.Equal(["security-admin", "auditor", "hr", "technician"], OperatorDecider.GrantableRoles(OperatorRole.SecurityAdmin));
        Assert.Empty(OperatorDecider.GrantableRoles(OperatorRole.Auditor));
    }

    [Theory]
    [MemberData(nameof(AdminActions))]
    public void Admin_actions(string scenario, object[] given, Func<Operator, Decision> when, Type? thenEvent, string? thenRefusal)
    {
        var decision = when(Given(given));

        Assert.True(thenRefusal == decision.Refusal?.Code, $"{scenario}: expected refusal {thenRefusal ?? "none"}, got {decision.Refusal?.Code ?? "none"}");
        Assert.Equal(thenEvent is null ? [] : [thenEvent], decision.Events.Select(e => e.GetType()).ToArray());
    }

    [Fact]
    public void Revoking_events_change_the_security_stamp_and_sign_in_does_not()
    {
        var state = Given(Registered());
        var stamps = new[]
        {
            Operator.Evolve(state, new OperatorSignedIn(TargetId, "ip", SecondFactor.None, null, null, T0))!.SecurityStamp,
            Operator.Evolve(state, new OperatorDisabled(TargetId, Owner, T0))!.SecurityStamp,
            Operator.Evolve(state, new OperatorPasswordReset(TargetId, "h", T0, Owner, T0))!.SecurityStamp,
            Operator.Evolve(state, new OperatorPasswordChanged(TargetId, "h", Target, T0))!.SecurityStamp,
            Operator.Evolve(state, new TwoFactorReset(TargetId, Owner, T0))!.SecurityStamp,
            Operator.Evolve(state, new OperatorSignedOutEverywhere(TargetId, Target, T0))!.SecurityStamp,
        };
        Assert.Equal([state.SecurityStamp, .. Enumerable.Repeat(state.SecurityStamp + 1, 5)], stamps);
    }

    [Fact]
    public void Invitation_is_activated_once_with_the_right_code_before_expiry()
    {
        var invited = Given(new OperatorInvited(TargetId, OrgId, "acme", "bob", OperatorRole.Hr, Secrets.HashCode("ABCD-EFGH-JKMN-PQRS"), T0.AddDays(3), Owner, T0));
        Assert.Equal(OperatorStatus.Invited, invited.Status);

        Assert.Equal("operator.activation_invalid", OperatorDecider.Decide(new ActivateOperator("ABCD-EFGH-JKMN-PQRT", "h"), invited, T0).Refusal?.Code);
        Assert.Equal("operator.activation_invalid", OperatorDecider.Decide(new ActivateOperator("ABCD-EFGH-JKMN-PQRS", "h"), invited, T0.AddDays(3)).Refusal?.Code);

        // Typed without dashes and in lower case is the same code.
        var accepted = OperatorDecider.Decide(new ActivateOperator("abcdefghjkmnpqrs", "h"), invited, T0.AddHours(1));
        var activated = Assert.IsType<OperatorActivated>(Assert.Single(accepted.Events));
        var state = Operator.Evolve(invited, activated)!;
        Assert.Equal(OperatorStatus.Active, state.Status);
        Assert.Equal("operator.activation_invalid", OperatorDecider.Decide(new ActivateOperator("ABCD-EFGH-JKMN-PQRS", "h"), state, T0.AddHours(2)).Refusal?.Code);
    }

    [Fact]
    public void Disabled_operator_cannot_activate_a_pending_code()
    {
        var state = Given(
            new OperatorInvited(TargetId, OrgId, "acme", "bob", OperatorRole.Hr, Secrets.HashCode("ABCD-EFGH-JKMN-PQRS"), T0.AddDays(3), Owner, T0),
            new OperatorDisabled(TargetId, Owner, T0));
        Assert.True(OperatorDecider.Decide(new ActivateOperator("ABCD-EFGH-JKMN-PQRS", "h"), state, T0).IsRefused);
    }

    [Fact]
    public void Only_owners_invite_owners()
    {
        var command = new InviteOperator(TargetId, OrgId, "acme", "bob", OperatorRole.Owner, "h", T0.AddDays(1));
        Assert.Equal("operator.role_not_grantable", OperatorDecider.Decide(command, false, OperatorRole.SecurityAdmin, Owner, T0).Refusal?.Code);
        Assert.IsType<OperatorInvited>(Assert.Single(OperatorDecider.Decide(command, false, OperatorRole.Owner, Owner, T0).Events));
        Assert.Equal("operator.username_taken", OperatorDecider.Decide(command, true, OperatorRole.Owner, Owner, T0).Refusal?.Code);
    }
}
