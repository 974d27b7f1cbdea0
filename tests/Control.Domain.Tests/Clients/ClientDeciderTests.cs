using Control.Domain.Clients;
using Control.Domain.Common;
using Control.Domain.Security;
using OtpNet;

namespace Control.Domain.Tests.Clients;

/// <summary>The rules of one client's security settings, as given events / when a command / then events or a refusal.</summary>
public class ClientDeciderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly Actor Owner = Actor.Operator(Guid.CreateVersion7(), "alice", "acme");

    private static DeciderSpec<Client> Spec => new(Client.Evolve);

    private static ClientEnrolled Enrolled(string? alias = "desk@acme") =>
        new(Id, Guid.CreateVersion7(), "acme", 123_456_789, "public-key", "fingerprint", "credential-hash", alias, null, "desk", Owner, T0);

    private static Decision Decide(ClientCommand command, Client client) => ClientDecider.Decide(command, client, Owner, T0);

    [Fact]
    public void AddAclEntry_ToAnEnrolledClient_AddsTheNormalizedEntry() =>
        Spec.Given(Enrolled()).When(c => Decide(new AddAclEntry(" Bob@ACME ", false), c)).Then(new AclEntryAdded(Id, "bob@acme", Owner, T0));

    [Fact]
    public void AddAclEntry_AlreadyListed_IsANoOp() =>
        Spec.Given(Enrolled(), new AclEntryAdded(Id, "bob@acme", Owner, T0)).When(c => Decide(new AddAclEntry("bob@acme", false), c)).ThenNothing();

    [Fact]
    public void AddAclEntry_Everyone_NeedsTheExplicitConfirmation()
    {
        Spec.Given(Enrolled()).When(c => Decide(new AddAclEntry("*", false), c)).ThenRefused("acl.everyone_not_confirmed", RefusalKind.Invalid);
        Spec.Given(Enrolled()).When(c => Decide(new AddAclEntry("*", true), c)).Then(new AclEntryAdded(Id, "*", Owner, T0));
    }

    [Fact]
    public void AddAclEntry_PastTheLimit_IsRefused()
    {
        var full = Enumerable.Range(0, ClientDecider.MaxAclEntries).Select(i => (object)new AclEntryAdded(Id, $"user{i}@acme", Owner, T0));
        Spec.Given([Enrolled(), .. full]).When(c => Decide(new AddAclEntry("one-more@acme", false), c)).ThenRefused("acl.too_many");
    }

    [Fact]
    public void RemoveAclEntry_NotListed_IsANoOp() =>
        Spec.Given(Enrolled()).When(c => Decide(new RemoveAclEntry("bob@acme"), c)).ThenNothing();

    [Fact]
    public void ExclusiveUnattendedAccess_WithoutAPassword_IsRefused() =>
        Spec.Given(Enrolled()).When(c => Decide(new SetExclusiveUnattendedAccess(true), c)).ThenRefused("unattended.no_password", RefusalKind.Conflict);

    [Fact]
    public void ExclusiveUnattendedAccess_AfterAPassword_IsSet()
    {
        var verifier = Scram.CreateVerifier("correct horse battery staple", new byte[16], iterations: 4096);
        Spec.Given(Enrolled(), new UnattendedPasswordSet(Id, verifier, false, Owner, T0))
            .When(c => Decide(new SetExclusiveUnattendedAccess(true), c))
            .Then(new ExclusiveUnattendedAccessSet(Id, true, Owner, T0));
    }

    [Fact]
    public void ClearTokens_StartsTheNextEpoch()
    {
        var after = Spec.Given(Enrolled()).When(c => Decide(new ClearTokens(), c)).Then(new TokensCleared(Id, 1, Owner, T0));
        Spec.Given(Enrolled(), new TokensCleared(Id, 1, Owner, T0)).When(c => Decide(new ClearTokens(), c)).Then(new TokensCleared(Id, after.TokenEpoch + 1, Owner, T0));
    }

    [Fact]
    public void RevokeRememberToken_OfAnOlderEpoch_IsANoOp_AndAnUnknownOneIsNotFound()
    {
        Spec.Given(Enrolled(), new TokensCleared(Id, 1, Owner, T0)).When(c => Decide(new RevokeRememberToken("t1", 0), c)).ThenNothing();
        Spec.Given(Enrolled()).When(c => Decide(new RevokeRememberToken("t1", null), c)).ThenRefused("token.unknown", RefusalKind.NotFound);
        Spec.Given(Enrolled()).When(c => Decide(new RevokeRememberToken("t1", 0), c)).Then(new RememberTokenRevoked(Id, "t1", Owner, T0));
    }

    [Fact]
    public void SetSessionLogins_Root_NeedsTheExplicitConfirmation()
    {
        Spec.Given(Enrolled()).When(c => Decide(new SetSessionLogins(["root"], false), c)).ThenRefused("client.logins_root_unconfirmed");
        Spec.Given(Enrolled()).When(c => Decide(new SetSessionLogins([" root ", "root"], true), c)).Then(new SessionLoginsSet(Id, ["root"], Owner, T0));
    }

    [Fact]
    public void SetClientTags_AreNormalizedAndSorted_AndTheSameSetIsANoOp()
    {
        Spec.Given(Enrolled()).When(c => Decide(new SetClientTags(["Web", "db", "web"]), c)).Then(new ClientTagsSet(Id, ["db", "web"], Owner, T0));
        Spec.Given(Enrolled(), new ClientTagsSet(Id, ["db", "web"], Owner, T0)).When(c => Decide(new SetClientTags(["web", "db"]), c)).ThenNothing();
    }

    [Fact]
    public void ClientTwoFactor_ConfirmedWithTheRightCode_IsEnabled_AndAWrongCodeIsRefused()
    {
        var seed = KeyGeneration.GenerateRandomKey(20);
        var code = new Totp(seed).ComputeTotp(T0.UtcDateTime);
        var wrong = code == "000000" ? "111111" : "000000";
        var started = new ClientTwoFactorEnrollmentStarted(Id, "protected-seed", Owner, T0);
        Spec.Given(Enrolled()).When(c => Decide(new ConfirmClientTwoFactor(seed, code), c)).ThenRefused("client_two_factor.not_started");
        Spec.Given(Enrolled(), started).When(c => Decide(new ConfirmClientTwoFactor(seed, wrong), c)).ThenRefused("client_two_factor.code_invalid");
        Spec.Given(Enrolled(), started).When(c => Decide(new ConfirmClientTwoFactor(seed, code), c)).Then(new ClientTwoFactorEnabled(Id, Owner, T0));
    }

    [Fact]
    public void RemoveLicense_ReleasesTheAlias_AndTwiceIsANoOp()
    {
        var after = Spec.Given(Enrolled()).When(c => Decide(new RemoveClientLicense(), c)).Then(new ClientLicenseRemoved(Id, "desk@acme", Owner, T0));
        Assert.Null(after.Alias);
        Spec.Given(Enrolled(), new ClientLicenseRemoved(Id, "desk@acme", Owner, T0)).When(c => Decide(new RemoveClientLicense(), c)).ThenNothing();
    }

    [Fact]
    public void ARemovedClient_RefusesEveryChange() =>
        Spec.Given(Enrolled(), new ClientRemoved(Id, Owner, T0)).When(c => Decide(new EnableAcl(), c)).ThenRefused("client.removed", RefusalKind.Conflict);

    [Fact]
    public void EveryPolicyChange_RaisesThePolicyRevision()
    {
        var after = Spec.Given(Enrolled()).When(c => Decide(new EnableAcl(), c)).Then(new AclEnabled(Id, Owner, T0));
        Assert.Equal(2, after.PolicyRevision);
    }
}
