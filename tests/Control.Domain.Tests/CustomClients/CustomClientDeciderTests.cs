using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.CustomClients;

namespace Control.Domain.Tests.CustomClients;

/// <summary>The rules of a custom client (a pre-configured agent build), as given events / when a command / then events or a refusal.</summary>
public class CustomClientDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Guid OrgId = Guid.CreateVersion7();
    private static readonly Actor Owner = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");

    private static DeciderSpec<CustomClient> Spec => new(CustomClient.Evolve);

    private static CustomClientCreated Created() => new(Id, OrgId, "support", "-support", ClientPreset.Open, false, "token-hash", Owner, T0);

    private static Decision Decide(object command, CustomClient state) => CustomClientDecider.Decide(command, state, Owner, T0);

    [Theory]
    [InlineData("Support Desk", null, false, "custom_client.name_invalid")]
    [InlineData("support", "support", false, "custom_client.suffix_invalid")]
    [InlineData("support", "-support", true, "custom_client.name_taken")]
    public void Create_WithABadNameSuffixOrATakenName_IsRefused(string name, string? suffix, bool taken, string code)
    {
        var decision = CustomClientDecider.Decide(new CreateCustomClient(Id, OrgId, name, suffix, ClientPreset.Open, false, "h"), taken, Owner, T0);
        Assert.Equal(code, decision.Refusal?.Code);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Create_WithAPresetAdmittingEveryone_IsRefused()
    {
        var preset = ClientPreset.Open with { AclEnabled = true, AclEntries = ["*"] };
        var decision = CustomClientDecider.Decide(new CreateCustomClient(Id, OrgId, "support", null, preset, false, "h"), false, Owner, T0);
        Assert.Equal("acl.everyone_not_confirmed", decision.Refusal?.Code);
    }

    [Fact]
    public void SetVisibility_ToWhatItIs_IsANoOp()
    {
        Spec.Given(Created()).When(c => Decide(new SetCustomClientVisibility(false), c)).ThenNothing();
        Spec.Given(Created()).When(c => Decide(new SetCustomClientVisibility(true), c)).Then(new CustomClientVisibilitySet(Id, true, Owner, T0));
    }

    [Fact]
    public void RotateToken_ReplacesTheHash()
    {
        var after = Spec.Given(Created()).When(c => Decide(new RotateCustomClientToken("new-hash"), c)).Then(new CustomClientTokenRotated(Id, "new-hash", Owner, T0));
        Assert.Equal("new-hash", after.TokenHash);
    }

    [Fact]
    public void ADeletedCustomClient_RefusesEverything() =>
        Spec.Given(Created(), new CustomClientDeleted(Id, Owner, T0))
            .When(c => Decide(new IssueEnrolmentTicket("ticket-hash", T0.AddHours(1)), c))
            .ThenRefused("custom_client.deleted", RefusalKind.Conflict);
}
